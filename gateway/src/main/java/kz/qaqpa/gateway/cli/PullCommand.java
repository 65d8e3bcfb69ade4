package kz.qaqpa.gateway.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import kz.qaqpa.gateway.config.FeedSettings;
import kz.qaqpa.gateway.pull.FeedFormat;
import kz.qaqpa.gateway.pull.PullClient;
import kz.qaqpa.gateway.pull.PullClient.PullException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa pull}: keeps an operator's copy of the list in step with a gateway (see
 * {@link PullClient}). Exit 0 in step; 3 the local copy was changed by hand; 4 the gateway's
 * manifest does not vouch for what was received; 5 the gateway could not be reached or refused.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Brings the local copy of the list in step with a gateway: a snapshot once, the changes afterwards, "
                + "each checked against the gateway's signed manifest. Run it from cron or a timer.")
final class PullCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The gateway, e.g. https://qaqpa.example.kz")
    String url;

    @Option(names = "--token", paramLabel = "TOKEN", description = "This operator's API token (or QAQPA_TOKEN).")
    String token;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the copy is kept.")
    Path dir;

    @Option(names = "--format", paramLabel = "LIST", defaultValue = "jsonl",
            description = "Files to write, comma-separated: jsonl, csv, rpz, domains (default jsonl).")
    String formats;

    @Option(names = "--gateway-certificate", required = true, paramLabel = "FILE",
            description = "The gateway's certificate (PEM), which signs the manifests.")
    Path certificate;

    @Option(names = "--rpz-origin", paramLabel = "NAME", defaultValue = FeedSettings.DEFAULT_RPZ_ORIGIN,
            description = "Origin of the policy zone written (default rpz.qaqpa.).")
    String rpzOrigin;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String bearer = token != null ? token : System.getenv("QAQPA_TOKEN");
        if (bearer == null || bearer.isBlank()) {
            throw new ParameterException(spec.commandLine(), "give the operator's token: --token or QAQPA_TOKEN");
        }
        List<FeedFormat> wanted;
        try {
            wanted = formatsOf(formats);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        PullClient client = new PullClient(gateway(), bearer, certificate(), dir);
        try {
            PullClient.Result result = client.pull(wanted, rpzOrigin);
            spec.commandLine().getOut().printf("serial %d, %d entries (%s), verified; wrote %s%n", result.serial(),
                    result.count(), result.snapshot() ? "snapshot" : "changes", result.written());
            return 0;
        } catch (PullException e) {
            spec.commandLine().getErr().println("qaqpa: " + e.getMessage());
            return e.status();
        }
    }

    private static List<FeedFormat> formatsOf(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty())
                .map(name -> FeedFormat.named(name).orElseThrow(() -> new IllegalArgumentException(
                        "unknown format " + name + "; one of jsonl, csv, rpz, domains")))
                .distinct().toList();
    }

    private URI gateway() {
        try {
            return URI.create(url.replaceAll("/+$", "") + "/");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--url is not a URL: " + url);
        }
    }

    private X509Certificate certificate() {
        try (InputStream in = Files.newInputStream(certificate)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new ParameterException(spec.commandLine(), "--gateway-certificate: cannot read " + certificate + ": "
                    + e.getMessage());
        }
    }
}
