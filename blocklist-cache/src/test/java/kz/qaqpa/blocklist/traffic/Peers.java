package kz.qaqpa.blocklist.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The real programs around a traffic-filter test: {@code openssl} (the certificate and the HTTPS
 * origin), curl (the subscriber), HAProxy (the operator's balancer), each a process of its own,
 * and the JDK's HTTP server as the plain-HTTP origin.
 */
final class Peers implements AutoCloseable {

    static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    static final Path CURL = Path.of("/usr/bin/curl");
    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<HttpServer> servers = new ArrayList<>();
    /** What the HTTP origins were asked, {@code address path?query} each. */
    final Queue<String> requests = new ConcurrentLinkedQueue<>();
    /** One permit for every request an origin has been asked. */
    private final Semaphore asked = new Semaphore(0);

    Peers(Path dir) {
        this.dir = dir;
    }

    record Result(int exit, String output, String error) {
    }

    /** A certificate for these names, made by openssl: {@code cert.pem} and {@code key.pem} in the directory. */
    Path certificate(String... names) throws Exception {
        StringBuilder san = new StringBuilder("subjectAltName=");
        for (int i = 0; i < names.length; i++) {
            san.append(i == 0 ? "" : ",").append("DNS:").append(names[i]);
        }
        Result made = run(OPENSSL.toString(), "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-subj", "/CN=" + names[0], "-addext", san.toString(), "-days", "2",
                "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString());
        assertThat(made.exit()).as(made.error()).isZero();
        return dir.resolve("cert.pem");
    }

    /** {@code openssl s_server -WWW} on this address, serving the files of {@code root}. */
    void httpsOrigin(InetSocketAddress address, Path root) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(OPENSSL.toString(), "s_server", "-quiet", "-WWW",
                "-accept", address.getHostString() + ":" + address.getPort(),
                "-cert", dir.resolve("cert.pem").toString(), "-key", dir.resolve("key.pem").toString())
                .directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("s_server.log").toFile());
        processes.add(builder.start());
        awaitListening(address);
    }

    /** The JDK's HTTP server on this address, answering every path with {@code origin <path?query>}. */
    HttpServer httpOrigin(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        server.createContext("/", exchange -> {
            requests.add(address.getAddress().getHostAddress() + " " + exchange.getRequestURI());
            asked.release();
            byte[] body = exchange.getRequestBody().readAllBytes();
            byte[] answer = ("origin " + exchange.getRequestURI() + (body.length > 0 ? " body " + body.length : ""))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server;
    }

    /** HAProxy with this configuration, running until closed. */
    void haproxy(String config, InetSocketAddress... listening) throws Exception {
        Path file = Files.writeString(dir.resolve("haproxy.cfg"), config);
        processes.add(new ProcessBuilder(HAPROXY.toString(), "-db", "-f", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start());
        for (InetSocketAddress address : listening) {
            awaitListening(address);
        }
    }

    /** curl with these arguments, in this network namespace when one is given. */
    Result curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of(CURL.toString(), "-sS", "--max-time", "10"));
        command.addAll(List.of(arguments));
        return run(command.toArray(String[]::new));
    }

    static Result run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[][] streams = new byte[2][];
        Thread errors = new Thread(() -> {
            try {
                streams[1] = process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                streams[1] = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        });
        errors.start();
        streams[0] = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command[0]).isTrue();
        errors.join();
        return new Result(process.exitValue(), new String(streams[0], StandardCharsets.UTF_8),
                new String(streams[1], StandardCharsets.UTF_8));
    }

    /** Waits until the origins have been asked this many requests in all. */
    void awaitRequests(int count) throws InterruptedException {
        if (!asked.tryAcquire(count, 10, TimeUnit.SECONDS)) {
            throw new AssertionError("the origins were asked " + requests + ", not " + count + " requests");
        }
        asked.release(count);
    }

    /** Waits until something accepts connections on this address (a started process binding its port). */
    static void awaitListening(InetSocketAddress address) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(address, 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(address + " never accepted a connection", e);
                }
                Thread.sleep(20);
            }
        }
    }

    @Override
    public void close() {
        servers.forEach(server -> server.stop(0));
        for (Process process : processes) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
