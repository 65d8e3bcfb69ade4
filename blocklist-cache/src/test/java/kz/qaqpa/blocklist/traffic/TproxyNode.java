package kz.qaqpa.blocklist.traffic;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import kz.qaqpa.blocklist.matcher.Matcher;

/**
 * A traffic filter in a process of its own, for a test that runs it inside a network namespace
 * ({@code ip netns exec}): a transparent listener on the port given, the targets given as
 * {@code domain|NAME|DIRECTIVE}, {@code url|URL|HOST|DIRECTIVE} or {@code ip|ADDRESS|DIRECTIVE}.
 * It listens on both families ({@code [::]}); it prints {@code ready} once it accepts; a line {@code restore} on its input empties the list
 * (it prints {@code restored}); the end of its input stops it.
 */
public final class TproxyNode {

    private TproxyNode() {
    }

    public static void main(String[] args) throws Exception {
        Matcher.Builder builder = Matcher.builder();
        for (int i = 1; i < args.length; i++) {
            String[] parts = args[i].split("\\|");
            switch (parts[0]) {
                case "domain" -> builder.addDomain(parts[1], true, parts[2]);
                case "url" -> builder.addUrl(parts[1], parts[2], parts[3]);
                case "ip" -> {
                    byte[] address = InetAddress.getByName(parts[1]).getAddress();
                    builder.addNetwork(address, address.length * 8, parts[2]);
                }
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        AtomicReference<Optional<Matcher>> list = new AtomicReference<>(Optional.of(builder.build()));
        try (TrafficFilter filter = TrafficFilter.start(TrafficFilter.Settings.of(
                        List.of(new TrafficFilter.Listener(TrafficFilter.Mode.TPROXY,
                                new InetSocketAddress("::", Integer.parseInt(args[0])))),
                        Optional.of("https://qaqpa.example.kz")),
                list::get, new SimpleMeterRegistry())) {
            System.out.println("ready");
            System.out.flush();
            BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = input.readLine()) != null) {
                if (line.equals("restore")) {
                    list.set(Optional.of(Matcher.builder().build()));
                    System.out.println("restored");
                    System.out.flush();
                }
            }
        }
    }
}
