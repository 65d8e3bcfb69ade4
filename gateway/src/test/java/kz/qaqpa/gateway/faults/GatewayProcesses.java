package kz.qaqpa.gateway.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;

import static org.awaitility.Awaitility.await;

/**
 * The packaged jar's processes (gateways, filtering nodes) a fault test starts, kills and starts
 * again, and the client a fault test is: it repeats the same signed bytes until it gets an answer.
 * Every process's output is kept under {@code target/crash-logs}: a failed run's logs explain it.
 */
final class GatewayProcesses implements AutoCloseable {

    static final String ADMIN = "crash-admin-token-0123456789abcdef";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Path LOGS = Path.of("target", "crash-logs");
    /** What a client takes for "not now, ask again": the gateway's own 503, or a balancer's 502/503/504. */
    private static final Set<Integer> UNAVAILABLE = Set.of(502, 503, 504);

    private final Path workDir;
    private final List<Process> processes = new ArrayList<>();

    GatewayProcesses(Path workDir) {
        this.workDir = workDir;
    }

    /** Starts {@code java -jar qaqpa.jar ARGS} in the work directory, the admin token in its environment. */
    Process launch(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of(System.getProperty("qaqpa.jar")).toAbsolutePath().toString()));
        command.addAll(args);
        return start(name, command);
    }

    /** Starts any command in the work directory, its output in the logs. */
    Process start(String name, List<String> command) throws IOException {
        Files.createDirectories(LOGS);
        Path log = Files.createTempFile(LOGS, name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("QAQPA_ADMIN_TOKEN", ADMIN); // a secret goes in the environment, never in ps
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }

    static void awaitReady(String api) {
        await().atMost(Duration.ofMinutes(2)).ignoreExceptions()
                .until(() -> HTTP.send(HttpRequest.newBuilder(URI.create(api + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
    }

    /** Calls the API as the authority (admin token), with a JSON body or none. */
    static HttpResponse<String> call(String api, String method, String path, String json) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /**
     * Sends the same signed bytes until the gateway answers; returns the status it answered with.
     * An answer other than 201, 200 or unavailable goes into {@code wrong}.
     */
    static int submitUntilAnswered(String api, byte[] signed, Queue<String> wrong) {
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/directives"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/pkcs7-mime")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(signed)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201 || response.statusCode() == 200) {
                    return response.statusCode();
                }
                if (!UNAVAILABLE.contains(response.statusCode())) {
                    wrong.add(response.statusCode() + " " + response.body());
                    return response.statusCode();
                }
            } catch (IOException e) {
                // The gateway is down or was killed under this request: ask again, as a client should.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
            try {
                Thread.sleep(50); // a client's back-off while the gateway restarts
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    static long count(Connection db, String query) throws SQLException {
        try (ResultSet rows = db.createStatement().executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
