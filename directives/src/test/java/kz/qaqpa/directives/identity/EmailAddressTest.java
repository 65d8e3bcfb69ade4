package kz.qaqpa.directives.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** One e-mail rule for appellants, channels and configuration: a single header token, never two recipients. */
class EmailAddressTest {

    @Test
    void plainAddressesAreTakenADotlessDomainIncluded() {
        assertThat(EmailAddress.isValid("owner@example.kz")).isTrue();
        assertThat(EmailAddress.isValid("иесі@пошта.қаз")).isTrue();
        assertThat(EmailAddress.isValid("qaqpa@localhost")).as("the default smtp-from").isTrue();
    }

    @Test
    void anythingThatWouldAddARecipientOrAHeaderIsRefused() {
        assertThat(EmailAddress.isValid("a@example.kz, victim@example.kz")).isFalse();
        assertThat(EmailAddress.isValid("a@example.kz\r\nBcc: victim@example.kz")).isFalse();
        assertThat(EmailAddress.isValid("Owner <a@example.kz>")).isFalse();
        assertThat(EmailAddress.isValid("a@b@example.kz")).isFalse();
        assertThat(EmailAddress.isValid("a@example..kz")).isFalse();
        assertThat(EmailAddress.isValid("a@.kz")).isFalse();
        assertThat(EmailAddress.isValid("nobody")).isFalse();
        assertThat(EmailAddress.isValid(null)).isFalse();
        assertThat(EmailAddress.isValid("a".repeat(64) + "@" + "b".repeat(253) + ".kz")).as("321 characters").isFalse();
    }
}
