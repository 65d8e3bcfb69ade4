package kz.qaqpa.loadtest.traffic;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.blocklist.matcher.Matcher;
import kz.qaqpa.blocklist.traffic.TrafficFilter;
import kz.qaqpa.loadtest.SyntheticNames;

/**
 * The traffic filter under test, in the process {@code loadtest/traffic.sh} starts inside the
 * router's network namespace: a transparent listener on {@code 0.0.0.0:PORT} and a list of
 * {@code ENTRIES} synthetic names, one restricted server name ({@code restricted.test}), one
 * restricted URL and one restricted address, so that every connection is judged against a list of
 * realistic size, built and the garbage of building it collected first. Prints {@code ready} when it
 * accepts; runs until killed.
 */
public final class TrafficNode {

    private TrafficNode() {
    }

    public static void main(String[] args) throws InterruptedException, IOException {
        int port = Integer.parseInt(args[0]);
        int entries = Integer.parseInt(args[1]);
        Matcher.Builder builder = Matcher.builder();
        for (int i = 0; i < entries; i++) {
            builder.addDomain(SyntheticNames.name(i), SyntheticNames.withSubdomains(i), "D-" + (i % 50_000));
        }
        builder.addDomain("restricted.test", true, "BENCH-SNI")
                .addUrl("http://10.77.2.2/restricted", "10.77.2.2", "BENCH-URL")
                .addNetwork(InetAddress.getByName("10.77.2.3").getAddress(), 32, "BENCH-IP");
        Matcher matcher = builder.build();
        builder = null;
        // The builder's garbage is collected before anything is measured, not in the middle of it.
        System.gc();
        TrafficFilter filter = TrafficFilter.start(TrafficFilter.Settings.of(
                        List.of(new TrafficFilter.Listener(TrafficFilter.Mode.TPROXY, new InetSocketAddress("0.0.0.0", port))),
                        Optional.of("https://qaqpa.example.kz")),
                () -> Optional.of(matcher), new SimpleMeterRegistry());
        Runtime.getRuntime().addShutdownHook(new Thread(filter::close));
        System.out.println("ready " + filter.addresses());
        System.out.flush();
        Thread.currentThread().join();
    }
}
