package kz.qaqpa.adapters.whois;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import kz.qaqpa.adapters.whois.RegistryWhois.Answer;
import kz.qaqpa.adapters.whois.RegistryWhois.Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry's WHOIS asked over real TCP (RFC 3912): a server in the test answers as the .KZ
 * registry does — or names no registrar, or answers far too much, or never, or a byte at a time.
 */
class RegistryWhoisTest {

    private FakeWhoisServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theRegistrarAndDatesAreReadAndTheRegistrantsDataIsNot() throws Exception {
        Answer answer = whois((question, out, closing) -> out.write(FakeWhoisServer.answer(question, "HOSTER.KZ")
                .getBytes(StandardCharsets.UTF_8))).lookup("xn--80aaxitdbjk.xn--80ao21a");

        assertThat(answer.status()).isEqualTo(Status.FOUND);
        assertThat(answer.registrar()).contains("HOSTER.KZ");
        assertThat(answer.created()).contains("2019-03-14 09:12:44 (GMT+0:00)");
        assertThat(answer.modified()).contains("2026-10-01 11:00:02 (GMT+0:00)");
        assertThat(answer.statuses()).containsExactly("clientTransferProhibited - status prohibits transfer");
        assertThat(server.questions()).containsExactly("xn--80aaxitdbjk.xn--80ao21a");
        assertThat(answer.toString()).as("seed 000 §9: the registrant's data is confidential")
                .doesNotContain("Серікқызы", "Абай", "+7.7011234567", "owner@example.kz", "C000123456");
    }

    @Test
    void anAnswerWithoutARegistrarOrForAnUnknownNameSaysSo() throws Exception {
        Answer answer = whois((question, out, closing) -> out.write(FakeWhoisServer.answer(question, null)
                .getBytes(StandardCharsets.UTF_8))).lookup("shop.kz");
        assertThat(answer.status()).isEqualTo(Status.NO_REGISTRAR);
        assertThat(answer.registrar()).isEmpty();
        assertThat(answer.created()).isPresent();

        server.close();
        Answer unknown = whois((question, out, closing) -> out.write("*** Nothing found for this query.\n"
                .getBytes(StandardCharsets.UTF_8))).lookup("absent.kz");
        assertThat(unknown.status()).isEqualTo(Status.NOT_REGISTERED);
    }

    @Test
    void anAnswerLargerThanTheBoundIsNoAnswer() throws Exception {
        Answer answer = whois((question, out, closing) -> {
            byte[] line = "Remarks................: padding the answer past any bound\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 20_000; i++) {
                out.write(line);
            }
            out.write("Current Registar: HOSTER.KZ\n".getBytes(StandardCharsets.UTF_8));
        }).lookup("big.kz");

        assertThat(answer.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(answer.registrar()).as("a registrar after the bound is not believed").isEmpty();
        assertThat(answer.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("larger than 65536 bytes"));
    }

    @Test
    void aServerThatNeverAnswersOrDripsIsCutOffAtTheDeadline() throws Exception {
        Answer silent = whois((question, out, closing) -> closing.await()).lookup("silent.kz");
        assertThat(silent.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(silent.problem()).hasValueSatisfying(problem -> assertThat(problem).contains("no answer", "within PT1S"));

        server.close();
        Answer dripping = whois((question, out, closing) -> {
            for (byte b : FakeWhoisServer.answer(question, "HOSTER.KZ").getBytes(StandardCharsets.UTF_8)) {
                out.write(b);
                out.flush();
                if (FakeWhoisServer.awaitClosing(closing, 20)) {
                    return;
                }
            }
        }).lookup("drip.kz");
        assertThat(dripping.status()).as("each byte in time, the whole answer not").isEqualTo(Status.UNAVAILABLE);
    }

    private RegistryWhois whois(FakeWhoisServer.Reply reply) throws Exception {
        server = new FakeWhoisServer(reply);
        return new RegistryWhois("127.0.0.1", server.port(), 64 * 1024, Duration.ofSeconds(1));
    }
}
