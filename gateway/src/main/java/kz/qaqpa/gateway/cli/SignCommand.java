package kz.qaqpa.gateway.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import kz.qaqpa.directives.signature.DocumentSigner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code qaqpa sign}: a CMS signature over a directive document, as the authorised body makes it. */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = "Signs a directive document (CMS SignedData with a signingTime), to standard output or --out.")
final class SignCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "FILE",
            description = "Private key: PEM (PKCS#8, SEC1 or PKCS#1) or PKCS#12 (.p12/.pfx).")
    Path key;

    @Option(names = "--cert", paramLabel = "FILE", description = "The signer's PEM certificate (optional with PKCS#12).")
    Path certificate;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Password of an encrypted key or key store.")
    String password;

    @Option(names = "--detached", description = "Leave the document out of the signature (send it beside, see qaqpa submit --document).")
    boolean detached;

    @Option(names = "--pem", description = "Write PEM text instead of DER.")
    boolean pem;

    @Option(names = "--out", paramLabel = "FILE", description = "Write here instead of standard output.")
    Path out;

    @Parameters(paramLabel = "DOCUMENT", description = "The directive JSON to sign.")
    Path document;

    @Override
    public Integer call() throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(document);
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "cannot read " + document + ": " + e.getMessage());
        }
        DocumentSigner signer;
        try {
            signer = DocumentSigner.load(key, Optional.ofNullable(certificate),
                    Optional.ofNullable(password).map(String::toCharArray));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        byte[] signature = signer.sign(content, !detached);
        byte[] output = pem ? DocumentSigner.pem(signature).getBytes(StandardCharsets.US_ASCII) : signature;
        if (out != null) {
            Files.write(out, output);
        } else {
            OutputStream stdout = System.out;
            stdout.write(output);
            stdout.flush();
        }
        return 0;
    }
}
