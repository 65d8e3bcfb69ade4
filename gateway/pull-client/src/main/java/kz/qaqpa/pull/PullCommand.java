package kz.qaqpa.pull;

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
import kz.qaqpa.blocklist.model.PolicyZoneApex;
import kz.qaqpa.pull.PullClient.PullException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code qaqpa pull}: keeps an operator's copy of the list in step with a gateway (see
 * {@link PullClient}); its exit statuses are listed in its help.
 */
@Command(name = "pull", mixinStandardHelpOptions = true,
        description = "Brings the local copy of the list in step with a gateway: a snapshot once, the changes afterwards, "
                + "each checked against the gateway's signed tree head and manifest. Run it from cron or a timer.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:in step, verified",
            "2:a usage error",
            "3:the local copy or an output file was changed by hand",
            "4:the manifest or tree head is not the gateway's, or does not match what was received",
            "5:the gateway could not be reached or refused",
            "6:the files changed but --on-change failed",
            "7:rollback or fork: an older state, or a log that does not extend the one verified before",
            "8:stale: the signed tree head has expired (the source stopped, or serves an old state)"})
public final class PullCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /**
     * {@code java -jar qaqpa-pull.jar …}: the same command for an operator's host without the gateway
     * (this module and its few libraries only).
     */
    public static void main(String[] args) {
        CommandLine command = new CommandLine(new PullCommand());
        command.setParameterExceptionHandler((e, given) -> {
            e.getCommandLine().getErr().println("qaqpa pull: " + e.getMessage() + " (see: --help)");
            return 2;
        });
        System.exit(command.execute(args));
    }

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The gateway, e.g. https://qaqpa.example.kz")
    String url;

    /** Refused with a message that says where to put it instead: on the command line every user of the host reads it (ps). */
    @Option(names = "--token", hidden = true)
    String token;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "File holding this operator's API token (or QAQPA_TOKEN; never on the command line).")
    Path tokenFile;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Where the copy is kept.")
    Path dir;

    @Option(names = "--format", paramLabel = "LIST", defaultValue = "jsonl",
            description = "Files to write, comma-separated: jsonl, csv, rpz, domains, urls, addresses, nft (default jsonl).")
    String formats;

    @Option(names = "--gateway-certificate", required = true, paramLabel = "FILE",
            description = "The gateway's certificate (PEM), which signs the manifests.")
    Path certificate;

    @Option(names = "--rpz-origin", paramLabel = "NAME", defaultValue = PolicyZoneApex.DEFAULT_ORIGIN,
            description = "Origin of the policy zone written (default rpz.qaqpa.).")
    String rpzOrigin;

    @Option(names = "--file-mode", paramLabel = "MODE", defaultValue = "0644",
            description = "Permissions of the files written, octal (default 0644: resolver daemons read them as another user).")
    String fileMode;

    @Option(names = "--group", paramLabel = "GROUP", description = "Group of the files written, such as bind or unbound.")
    String group;

    @Option(names = "--on-change", paramLabel = "COMMAND",
            description = "Shell command run after a run that changed a file, e.g. 'rndc reload rpz.qaqpa'.")
    String onChange;

    @Option(names = "--receipt", paramLabel = "ID", description = "After a verified run, post a receipt signed with the key "
            + "DIR/.qaqpa/ID.key (made on first use; the authority registers ID.pub once) saying which state this copy holds; "
            + "ID is this operator's recipient id.")
    String receipt;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (token != null) {
            throw new ParameterException(spec.commandLine(), "--token would be visible to every user of this host (ps):"
                    + " give it in QAQPA_TOKEN or in a file named by --token-file");
        }
        String bearer = token(spec, tokenFile);
        List<FeedFormat> wanted;
        try {
            wanted = formatsOf(formats);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        PullClient client = new PullClient(baseUrl(spec, "--url", url), bearer, certificate(spec, certificate), dir);
        try {
            PullClient.Result result = client.pull(wanted, rpzOrigin, new PullClient.Output(mode(fileMode),
                    java.util.Optional.ofNullable(group), java.util.Optional.ofNullable(onChange)));
            spec.commandLine().getOut().printf("serial %d, %d entries (%s), verified; wrote %s%n", result.serial(),
                    result.count(), result.snapshot() ? "snapshot" : "changes", result.written());
            if (receipt != null) {
                spec.commandLine().getOut().printf("receipt for serial %d: %s%n", result.serial(), client.postReceipt(receipt, result));
            }
            return 0;
        } catch (PullException e) {
            spec.commandLine().getErr().println("qaqpa: " + e.getMessage());
            return e.status();
        }
    }

    /** The token from {@code file} (--token-file), else {@code QAQPA_TOKEN}; a usage error when neither has one. */
    public static String token(CommandSpec spec, Path file) {
        return token(spec, file, "QAQPA_TOKEN", "--token-file");
    }

    /** A token from the file an option names, else from an environment variable; a usage error when neither has one. */
    public static String token(CommandSpec spec, Path file, String variable, String option) {
        String token;
        try {
            token = file != null ? Files.readString(file).strip() : System.getenv(variable);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), option + ": cannot read " + file + ": " + e.getMessage());
        }
        if (token == null || token.isBlank()) {
            throw new ParameterException(spec.commandLine(), "give the token: " + variable + " or " + option);
        }
        return token;
    }

    private java.util.Set<java.nio.file.attribute.PosixFilePermission> mode(String octal) {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new ParameterException(spec.commandLine(), "--file-mode: an octal mode such as 0644, not " + octal);
        }
        int bits = Integer.parseInt(octal, 8);
        StringBuilder text = new StringBuilder();
        for (int shift = 6; shift >= 0; shift -= 3) {
            int part = (bits >> shift) & 7;
            text.append((part & 4) != 0 ? 'r' : '-').append((part & 2) != 0 ? 'w' : '-').append((part & 1) != 0 ? 'x' : '-');
        }
        return java.nio.file.attribute.PosixFilePermissions.fromString(text.toString());
    }

    private static List<FeedFormat> formatsOf(String list) {
        return java.util.Arrays.stream(list.split(",")).map(String::strip).filter(name -> !name.isEmpty())
                .map(name -> FeedFormat.named(name).orElseThrow(() -> new IllegalArgumentException(
                        "unknown format " + name + "; one of " + FeedFormat.names())))
                .distinct().toList();
    }

    /** The gateway's base URL from {@code url} (ending in {@code /}); a usage error naming {@code option} when it is none. */
    public static URI baseUrl(CommandSpec spec, String option, String url) {
        try {
            URI uri = URI.create(url.replaceAll("/+$", "") + "/");
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + " is not an http(s) URL: " + url);
        }
    }

    /** The gateway's certificate from {@code file} (--gateway-certificate); a usage error when it cannot be read. */
    public static X509Certificate certificate(CommandSpec spec, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | CertificateException e) {
            throw new ParameterException(spec.commandLine(), "--gateway-certificate: cannot read " + file + ": "
                    + e.getMessage());
        }
    }
}
