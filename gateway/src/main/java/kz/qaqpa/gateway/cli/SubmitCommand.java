package kz.qaqpa.gateway.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code qaqpa submit}: sends a signed directive to a gateway and prints its answer. */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = "Submits a signed directive; prints the gateway's JSON answer. Exit 0 when accepted.")
final class SubmitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The gateway, e.g. http://localhost:8080")
    String url;

    @Option(names = "--document", paramLabel = "FILE", description = "The document, when the signature is detached.")
    Path document;

    @Parameters(paramLabel = "SIGNATURE", description = "The CMS signature (DER or PEM), e.g. from qaqpa sign.")
    Path signature;

    @Override
    public Integer call() throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(60));
        byte[] signed = read(signature);
        if (document == null) {
            request.header("Content-Type", "application/pkcs7-mime").POST(HttpRequest.BodyPublishers.ofByteArray(signed));
        } else {
            String envelope = new JsonObject()
                    .put("document", Base64.getEncoder().encodeToString(read(document)))
                    .put("signature", Base64.getEncoder().encodeToString(signed))
                    .encode();
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(envelope));
        }
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            spec.commandLine().getErr().println("qaqpa: cannot reach " + url + ": " + e.getMessage());
            return Qaqpa.EXIT_FAILURE;
        }
        if (response.statusCode() == 200 || response.statusCode() == 201) {
            spec.commandLine().getOut().println(pretty(response.body()));
            return 0;
        }
        spec.commandLine().getErr().println("qaqpa: HTTP " + response.statusCode() + " " + problem(response.body()));
        return Qaqpa.EXIT_FAILURE;
    }

    private URI endpoint() {
        try {
            return URI.create(url.replaceAll("/+$", "") + "/api/v1/directives");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url is not a URL: " + url);
        }
    }

    private byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static String pretty(String body) {
        try {
            return new JsonObject(body).encodePrettily();
        } catch (DecodeException e) {
            return body;
        }
    }

    private static String problem(String body) {
        try {
            JsonObject problem = new JsonObject(body);
            return problem.getString("type", "") + ": " + problem.getString("detail", body);
        } catch (DecodeException e) {
            return body;
        }
    }
}
