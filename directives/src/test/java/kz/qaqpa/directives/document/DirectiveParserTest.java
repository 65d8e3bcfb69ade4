package kz.qaqpa.directives.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import kz.qaqpa.directives.directive.Action;
import kz.qaqpa.directives.document.InvalidDocumentException.Kind;
import kz.qaqpa.directives.targets.DomainTarget;
import kz.qaqpa.directives.targets.UrlTarget;
import org.junit.jupiter.api.Test;

class DirectiveParserTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);
    private final DirectiveParser parser = new DirectiveParser(10, NOW);

    @Test
    void restrictWithEveryKindOfTargetIsParsedAndNormalised() {
        DirectiveDocument document = parser.parse(DirectiveJson.restrict("12-3/456")
                .domain("сайт.қаз", true)
                .target("URL", "HTTPS://Example.KZ:443/a/../b#x")
                .target("IP", "2001:DB8::1")
                .target("CIDR", "203.0.113.0/24")
                .app("GOOGLE_PLAY", "kz.example.app")
                .bytes());

        assertThat(document.number()).isEqualTo("12-3/456");
        assertThat(document.action()).isEqualTo(Action.RESTRICT);
        assertThat(document.authority().bin()).isEqualTo(DirectiveJson.AUTHORITY_BIN);
        assertThat(document.recipients().all()).isTrue();
        assertThat(document.targets()).extracting(entry -> entry.target().key()).containsExactly(
                "DOMAIN:*.xn--80aswg.xn--80ao21a",
                "URL:https://example.kz/b",
                "IP:2001:db8::1",
                "CIDR:203.0.113.0/24",
                "APP:GOOGLE_PLAY:kz.example.app");
        assertThat(document.targets().get(0).original()).isEqualTo("сайт.қаз");
        assertThat(((DomainTarget) document.targets().get(0).target()).includeSubdomains()).isTrue();
        assertThat(((UrlTarget) document.targets().get(1).target()).host()).isEqualTo("example.kz");
    }

    @Test
    void restoreNamesTheDirectiveItCancels() {
        DirectiveDocument document = parser.parse(DirectiveJson.restore("13", "12-3/456").set("appeal", "A-2026-1")
                .order("casino.kz", "https://casino.kz/a").bytes());

        assertThat(document.action()).isEqualTo(Action.RESTORE);
        assertThat(document.cancels()).hasValueSatisfying(cancels -> {
            assertThat(cancels.number()).isEqualTo("12-3/456");
            assertThat(cancels.date()).isEqualTo(LocalDate.of(2026, 11, 20));
        });
        assertThat(document.appeal()).contains("A-2026-1");
        assertThat(document.targets()).isEmpty();
        assertThat(document.order()).hasValueSatisfying(order -> {
            assertThat(order.signatory()).startsWith("А. Сейітов");
            assertThat(order.addressees()).hasSize(2);
            assertThat(order.resources()).containsExactly("casino.kz");
            assertThat(order.links()).containsExactly("https://casino.kz/a");
            assertThat(order.kazakh()).contains("Тапсырма");
            assertThat(order.russian()).contains("Поручение");
        });
    }

    /** Seed 003 §6: a RESTORE that answers an appeal carries the order itself, whole, and only a RESTORE does. */
    @Test
    void aRestoreAnsweringAnAppealCarriesItsOrderWholeAndOnlyARestoreCarriesOne() {
        assertViolations(DirectiveJson.restore("13", "12-3/456").set("appeal", "A-2026-1"), "/order");
        DirectiveJson partial = DirectiveJson.restore("13", "12-3/456").set("appeal", "A-2026-1").order("casino.kz");
        ((ObjectNode) partial.tree().get("order")).remove("ru");
        ((ObjectNode) partial.tree().get("order")).putArray("addressees");
        ((ObjectNode) partial.tree().get("order")).put("colour", "red");
        assertViolations(partial, "/order/ru", "/order/addressees", "/order/colour");
        assertViolations(DirectiveJson.restrict("14").domain("casino.kz", false).order("casino.kz"), "/order");
        assertThat(parser.parse(DirectiveJson.restore("15", "12-3/456").bytes()).order())
                .as("the authority's own RESTORE, answering no appeal, may go without").isEmpty();
    }

    /** A RESTRICT for a period: until a time, or for an ISO-8601 period from its issue; one of them, after the issue. */
    @Test
    void aRestrictionForAPeriodEndsAtItsTimeOrAfterItsPeriod() {
        assertThat(parser.parse(DirectiveJson.restrict("1").domain("a.kz", false).set("restrictFor", "P3M").bytes())
                .validUntil()).contains(java.time.OffsetDateTime.parse("2027-02-20T10:00:00+05:00"));
        assertThat(parser.parse(DirectiveJson.restrict("2").domain("a.kz", false)
                .set("validUntil", "2026-12-31T23:59:59+05:00").bytes()).validUntil())
                .contains(java.time.OffsetDateTime.parse("2026-12-31T23:59:59+05:00"));
        assertThat(parser.parse(DirectiveJson.restrict("3").domain("a.kz", false).bytes()).validUntil()).isEmpty();
        assertViolations(DirectiveJson.restrict("4").domain("a.kz", false).set("restrictFor", "three months"), "/restrictFor");
        assertViolations(DirectiveJson.restrict("5").domain("a.kz", false).set("restrictFor", "-P1D"), "/restrictFor");
        assertViolations(DirectiveJson.restrict("6").domain("a.kz", false).set("validUntil", "2026-11-20T09:00:00+05:00"),
                "/validUntil");
        assertViolations(DirectiveJson.restrict("7").domain("a.kz", false).set("restrictFor", "P3M")
                .set("validUntil", "2027-01-01T00:00:00+05:00"), "/restrictFor");
        assertViolations(DirectiveJson.restore("8", "1").set("restrictFor", "P3M"), "/restrictFor");
    }

    /** Seed 002 art. 21: a suspension of a domain name for three months at most; an annulment bans it for a year. */
    @Test
    void aDomainBanIsASuspensionOfThreeMonthsAtMostOrAnAnnulmentForAYear() {
        assertThat(parser.parse(DirectiveJson.restrict("1").domain("a.kz", false).set("restrictFor", "P3M")
                .set("domainBan", "SUSPENDED").bytes()).domainBan()).hasValueSatisfying(ban ->
                assertThat(ban.until()).isEqualTo(java.time.OffsetDateTime.parse("2027-02-20T10:00:00+05:00")));
        assertThat(parser.parse(DirectiveJson.restrict("2").domain("a.kz", false).set("domainBan", "ANNULLED").bytes())
                .domainBan()).hasValueSatisfying(ban ->
                assertThat(ban.until()).isEqualTo(java.time.OffsetDateTime.parse("2027-11-20T10:00:00+05:00")));
        assertViolations(DirectiveJson.restrict("3").domain("a.kz", false).set("domainBan", "SUSPENDED"), "/domainBan");
        assertViolations(DirectiveJson.restrict("4").domain("a.kz", false).set("restrictFor", "P4M")
                .set("domainBan", "SUSPENDED"), "/domainBan");
        assertViolations(DirectiveJson.restrict("5").target("IP", "192.0.2.1").set("domainBan", "ANNULLED"), "/domainBan");
        assertViolations(DirectiveJson.restrict("6").domain("a.kz", false).set("domainBan", "FOREVER"), "/domainBan");
    }

    private void assertViolations(DirectiveJson json, String... pointers) {
        InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class,
                () -> parser.parse(json.bytes()));
        assertThat(e).as(json.toString()).isNotNull();
        assertThat(e.violations()).extracting(Violation::pointer).containsExactlyInAnyOrder(pointers);
    }

    @Test
    void everyMissingFieldIsNamedAtOnce() {
        InvalidDocumentException e = reject(DirectiveJson.restrict("1").domain("example.kz", false)
                .remove("number").remove("legalBasis").remove("recipients"));

        assertThat(e.kind()).isEqualTo(Kind.INVALID);
        assertThat(e.violations()).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/number", "/legalBasis", "/recipients");
    }

    @Test
    void unknownFieldsAreRejectedAtEveryLevel() {
        DirectiveJson json = DirectiveJson.restrict("1").domain("example.kz", false).set("priority", "high");
        json.tree().withObject("/authority").put("phone", "+7");
        ((ObjectNode) json.tree().withArray("/targets").get(0)).put("comment", "x");

        assertThat(reject(json).violations()).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/priority", "/authority/phone", "/targets/0/comment");
    }

    /**
     * Seed 000 §16–19: a suspension names its ground, may carry a court's term for the remedy (with
     * the court decision), and is asked of the .KZ/.ҚАЗ registry for names under kz and қаз only.
     */
    @Test
    void aDomainSuspensionNamesItsGroundAndOnlyNamesTheRegistryHolds() {
        DirectiveJson court = DirectiveJson.restrict("S-1").domain("мысал.қаз", false).domain("shop.kz", true)
                .suspension("COURT_DECISION").set("remedyUntil", "2027-01-29");
        court.tree().putObject("courtDecision").put("court", "Астана қаласының соты").put("number", "2-77/2026")
                .put("date", "2026-11-02");
        assertThat(parser.parse(court.bytes()).domainSuspension()).hasValueSatisfying(suspension -> {
            assertThat(suspension.ground()).isEqualTo(DirectiveDocument.DomainSuspension.Ground.COURT_DECISION);
            assertThat(suspension.remedyUntil()).contains(java.time.LocalDate.of(2027, 1, 29));
        });
        assertThat(parser.parse(DirectiveJson.restrict("S-2").domain("shop.kz", false).bytes()).domainSuspension()).isEmpty();

        assertThat(reject(DirectiveJson.restrict("S-3").domain("shop.kz", false).set("domainSuspension",
                com.fasterxml.jackson.databind.node.BooleanNode.TRUE)).violations()).extracting(Violation::pointer)
                .containsExactly("/suspensionGround");
        assertThat(reject(DirectiveJson.restrict("S-4").domain("shop.kz", false).suspension("SPAM")).violations())
                .extracting(Violation::pointer).containsExactly("/suspensionGround");
        assertThat(reject(DirectiveJson.restrict("S-5").domain("shop.kz", false).suspension("MALWARE")
                .set("remedyUntil", "2027-01-29")).violations()).extracting(Violation::pointer).containsExactly("/remedyUntil");
        assertThat(reject(DirectiveJson.restrict("S-6").domain("shop.kz", false).domain("shop.com", false)
                .suspension("PHISHING")).violations()).singleElement()
                .satisfies(v -> assertThat(v.detail()).contains("shop.com"));
        assertThat(reject(DirectiveJson.restrict("S-7").target("IP", "192.0.2.1").suspension("PHISHING")).violations())
                .extracting(Violation::pointer).containsExactly("/domainSuspension");
        assertThat(reject(DirectiveJson.restore("S-8", "S-1").suspension("PHISHING")).violations())
                .extracting(Violation::pointer).contains("/domainSuspension", "/suspensionGround");
        assertThat(reject(DirectiveJson.restrict("S-9").domain("shop.kz", false).set("suspensionGround", "MALWARE"))
                .violations()).extracting(Violation::pointer).containsExactly("/suspensionGround");
        assertThat(parser.parse(DirectiveJson.restrict("S-10").domain("shop.kz", false).suspension("MALWARE")
                .set("restrictAccess", com.fasterxml.jackson.databind.node.BooleanNode.FALSE).bytes()).restrictsAccess())
                .as("suspended only").isFalse();
        assertThat(parser.parse(court.bytes()).restrictsAccess()).isTrue();
        assertThat(reject(DirectiveJson.restrict("S-11").domain("shop.kz", false)
                .set("restrictAccess", com.fasterxml.jackson.databind.node.BooleanNode.FALSE)).violations())
                .extracting(Violation::pointer).containsExactly("/restrictAccess");
    }

    /** The authority's name in each language, for the texts in each: kept as given, bounded like its name. */
    @Test
    void theAuthorityMayGiveItsNameInKazakhAndRussian() {
        assertThat(parser.parse(DirectiveJson.restrict("1").domain("example.kz", false)
                .authorityNames("Мәдениет және ақпарат министрлігі", "Министерство культуры и информации").bytes()).authority())
                .satisfies(authority -> {
                    assertThat(authority.nameKk()).contains("Мәдениет және ақпарат министрлігі");
                    assertThat(authority.nameRu()).contains("Министерство культуры и информации");
                });
        assertThat(parser.parse(DirectiveJson.restrict("1").domain("example.kz", false).bytes()).authority().nameRu()).isEmpty();
        assertThat(reject(DirectiveJson.restrict("1").domain("example.kz", false).authorityNames("x".repeat(513), ""))
                .violations()).extracting(Violation::pointer).contains("/authority/nameKk");
    }

    @Test
    void wrongTypesAndValuesAreNamed() {
        InvalidDocumentException e = reject(DirectiveJson.restrict("1").domain("example.kz", false)
                .set("schema", "qaqpa.directive/v2")
                .set("action", "BLOCK")
                .set("issuedAt", "20.11.2026")
                .authorityBin("990740000021"));

        assertThat(e.violations()).extracting(Violation::pointer)
                .containsExactlyInAnyOrder("/schema", "/action", "/issuedAt", "/authority/bin");
    }

    @Test
    void directiveDatedInTheFutureIsRefused() {
        assertThat(reject(DirectiveJson.restrict("1").domain("example.kz", false)
                .set("issuedAt", "2026-11-23T12:00:00+05:00")).violations())
                .singleElement().satisfies(v -> assertThat(v.detail()).contains("future"));
    }

    @Test
    void badTargetIsRejectedWithItsIndexAndReason() {
        InvalidDocumentException e = reject(DirectiveJson.restrict("1")
                .domain("example.kz", false)
                .target("CIDR", "10.0.0.1/8")
                .target("URL", "ftp://example.kz/"));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_TARGET);
        assertThat(e.violations()).extracting(Violation::pointer).containsExactly("/targets/1", "/targets/2");
        assertThat(e.violations().get(0).detail()).contains("host bits");
    }

    @Test
    void sameTargetWrittenTwiceIsRejectedNamingTheFirst() {
        InvalidDocumentException e = reject(DirectiveJson.restrict("1").domain("сайт.қаз", false).domain("XN--80ASWG.xn--80ao21a.", false));

        assertThat(e.kind()).isEqualTo(Kind.INVALID_TARGET);
        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.pointer()).isEqualTo("/targets/1");
            assertThat(v.detail()).contains("/targets/0");
        });
    }

    @Test
    void moreTargetsThanTheLimitIsItsOwnRejection() {
        DirectiveJson json = DirectiveJson.restrict("1");
        for (int i = 0; i < 11; i++) {
            json.domain("site" + i + ".kz", false);
        }

        assertThat(reject(json).kind()).isEqualTo(Kind.TOO_MANY_TARGETS);
    }

    @Test
    void restrictNeedsTargetsAndMustNotCancel() {
        assertThat(reject(DirectiveJson.restrict("1")).violations()).extracting(Violation::pointer).containsExactly("/targets");
        assertThat(reject(DirectiveJson.restrict("1").domain("example.kz", false)
                .set("cancels", JsonNodeFactory.instance.objectNode().put("number", "1").put("date", "2026-01-01")))
                .violations()).extracting(Violation::pointer).containsExactly("/cancels");
    }

    @Test
    void restoreNeedsWhatItCancels() {
        assertThat(reject(DirectiveJson.restore("2", "1").remove("cancels")).violations())
                .extracting(Violation::pointer).containsExactly("/cancels");
    }

    @Test
    void malformedInputIsMalformed() {
        assertThat(rejectBytes("{".getBytes(StandardCharsets.UTF_8)).kind()).isEqualTo(Kind.MALFORMED);
        assertThat(rejectBytes("[]".getBytes(StandardCharsets.UTF_8)).kind()).isEqualTo(Kind.MALFORMED);
        assertThat(rejectBytes("{} {}".getBytes(StandardCharsets.UTF_8)).kind()).isEqualTo(Kind.MALFORMED);
        assertThat(rejectBytes(new byte[] {'{', '"', (byte) 0xC3, '"', ':', '1', '}'}).violations())
                .singleElement().satisfies(v -> assertThat(v.detail()).contains("UTF-8"));
    }

    @Test
    void duplicateKeysAreMalformedNotSilentlyOverwritten() {
        String json = DirectiveJson.restrict("1").domain("example.kz", false).toString()
                .replaceFirst("\\{", "{\"number\":\"999\",");

        assertThat(rejectBytes(json.getBytes(StandardCharsets.UTF_8)).violations())
                .singleElement().satisfies(v -> assertThat(v.detail()).contains("Duplicate field"));
    }

    @Test
    void deeplyNestedJsonIsMalformed() {
        String deep = "{\"reason\":" + "[".repeat(1_000) + "]".repeat(1_000) + "}";

        assertThat(rejectBytes(deep.getBytes(StandardCharsets.UTF_8)).kind()).isEqualTo(Kind.MALFORMED);
    }

    private InvalidDocumentException reject(DirectiveJson json) {
        return rejectBytes(json.bytes());
    }

    private InvalidDocumentException rejectBytes(byte[] bytes) {
        InvalidDocumentException e = catchThrowableOfType(InvalidDocumentException.class, () -> parser.parse(bytes));
        assertThat(e).as("rejected").isNotNull();
        return e;
    }
}
