package kz.qaqpa.blocklist.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the product takes for a SHA-256 in hex: exactly what {@link Sha256#hex} writes, nothing else. */
class Sha256Test {

    private static final String DIGEST = Sha256.hex("qaqpa");

    @Test
    void whatItWritesIsHex() {
        assertThat(Sha256.isHex(DIGEST)).isTrue();
        assertThat(Sha256.isHex("0123456789abcdef".repeat(4))).isTrue();
    }

    @Test
    void anythingElseIsNot() {
        assertThat(Sha256.isHex(null)).isFalse();
        assertThat(Sha256.isHex("")).isFalse();
        assertThat(Sha256.isHex(DIGEST.substring(1))).as("63 digits").isFalse();
        assertThat(Sha256.isHex(DIGEST + "0")).as("65 digits").isFalse();
        assertThat(Sha256.isHex(DIGEST.toUpperCase())).as("upper case").isFalse();
        assertThat(Sha256.isHex("g" + DIGEST.substring(1))).isFalse();
        assertThat(Sha256.isHex(DIGEST.substring(1) + "/")).as("the character before 0").isFalse();
        assertThat(Sha256.isHex(DIGEST.substring(1) + ":")).as("the character after 9").isFalse();
        assertThat(Sha256.isHex(DIGEST.substring(1) + "`")).as("the character before a").isFalse();
        assertThat(Sha256.isHex(DIGEST.substring(1) + "\u0663")).as("an Arabic-Indic three").isFalse();
    }
}
