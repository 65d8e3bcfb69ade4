package kz.qaqpa.gateway.pull;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TSIG keys file is read as BIND reads it: comments anywhere but inside quotes, several keys, server statements. */
class TransferTsigTest {

    @TempDir
    Path dir;

    @Test
    void keysWithCommentsAndASecretHoldingSlashesAreRead() throws Exception {
        Path file = Files.writeString(dir.resolve("xfr.keys"), """
                # operators' keys
                key "alpha" {          // the first
                    algorithm hmac-sha256;
                    secret "ab//cd+ef0123456789ABCDEFGHIJKLMNOPQRSTU";  /* "//" in a secret is no comment */
                };
                /* a second
                   operator */
                key beta { algorithm HMAC-SHA512; secret "c2Vjb25kIHNlY3JldCBmb3IgYmV0YQ=="; };
                server 198.51.100.53 { keys { "beta"; }; };
                """);

        TransferTsig keys = TransferTsig.read(file);

        assertThat(keys.required()).isTrue();
        assertThat(keys.keyCount()).isEqualTo(2);
        assertThat(keys.notifyKeyName(new InetSocketAddress("198.51.100.53", 53))).map(Object::toString).contains("beta.");
        assertThat(keys.notifyKeyName(new InetSocketAddress("192.0.2.1", 53))).as("no server statement: the first key")
                .map(Object::toString).contains("alpha.");
    }

    @Test
    void weakAlgorithmsAStrayStatementAndAnEmptyFileAreRefusedNamingTheFile() throws Exception {
        Path md5 = Files.writeString(dir.resolve("md5.keys"), "key k { algorithm hmac-md5; secret \"YWJj\"; };");
        Path stray = Files.writeString(dir.resolve("stray.keys"),
                "key k { algorithm hmac-sha256; secret \"YWJjZGVmZ2hpamtsbW5vcA==\"; };\noptions { recursion no; };");
        Path empty = Files.writeString(dir.resolve("empty.keys"), "# nothing yet\n");
        Path unknown = Files.writeString(dir.resolve("unknown.keys"),
                "key k { algorithm hmac-sha256; secret \"YWJjZGVmZ2hpamtsbW5vcA==\"; };\nserver 192.0.2.1 { keys { other; }; };");

        assertThatThrownBy(() -> TransferTsig.read(md5)).hasMessageContaining("md5.keys").hasMessageContaining("hmac-md5");
        assertThatThrownBy(() -> TransferTsig.read(stray)).hasMessageContaining("options { recursion no; }");
        assertThatThrownBy(() -> TransferTsig.read(empty)).hasMessageContaining("no key");
        assertThatThrownBy(() -> TransferTsig.read(unknown)).hasMessageContaining("names no key of the file: other");
    }
}
