package kz.qaqpa.blocklist.model.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import kz.qaqpa.blocklist.model.Operation;
import kz.qaqpa.blocklist.model.Sha256;
import org.junit.jupiter.api.Test;

/** What a leaf of the log takes: fields its two-byte lengths can state, and a document hash in hex. */
class LogLeafTest {

    private static final String DOCUMENT = Sha256.hex("a signed directive");

    @Test
    void aKeyOfAtMost65535BytesOfUtf8IsALeaf() {
        String euros = "€".repeat(21_845); // three bytes each: 65,535
        assertThat(new LogLeaf(1, Operation.ADD, euros, "D-1", DOCUMENT).bytes())
                .hasSize(1 + 8 + 1 + 2 + 65_535 + 2 + 3 + 32);
        assertThat(new LogLeaf(1, Operation.ADD, "a".repeat(65_535), "D-1", DOCUMENT).key()).hasSize(65_535);
    }

    @Test
    void aLongerKeyOrDirectiveIsRefusedWhateverItsLengthInChars() {
        assertThatIllegalArgumentException().as("21,846 chars, 65,538 bytes")
                .isThrownBy(() -> new LogLeaf(1, Operation.ADD, "€".repeat(21_846), "D-1", DOCUMENT))
                .withMessageContaining("key");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LogLeaf(1, Operation.ADD, "example.kz", "№".repeat(32_768), DOCUMENT))
                .withMessageContaining("directive");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LogLeaf(1, Operation.ADD, "a".repeat(65_536), "D-1", DOCUMENT));
        assertThatIllegalArgumentException().isThrownBy(() -> new LogLeaf(1, Operation.ADD, "", "D-1", DOCUMENT));
    }

    @Test
    void theDocumentIsNamedByItsSha256InLowerCaseHex() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LogLeaf(1, Operation.ADD, "example.kz", "D-1", DOCUMENT.toUpperCase()))
                .withMessageContaining("documentSha256");
        assertThat(new LogLeaf(1, Operation.ADD, "example.kz", "D-1", DOCUMENT).documentSha256()).isEqualTo(DOCUMENT);
    }
}
