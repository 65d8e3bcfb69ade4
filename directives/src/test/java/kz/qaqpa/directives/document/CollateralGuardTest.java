package kz.qaqpa.directives.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import kz.qaqpa.directives.document.InvalidDocumentException.Kind;
import kz.qaqpa.directives.targets.CollateralGuard;
import kz.qaqpa.directives.targets.CollateralGuard.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A RESTRICT that would cut off far more than one resource — a name the registry holds for the
 * state, a wide network, shared infrastructure — is refused, naming each such target and its rule,
 * unless the signed document acknowledges that very target; a top-level domain is no target at all.
 */
class CollateralGuardTest {

    private static final Clock NOW = Clock.fixed(Instant.parse("2026-11-22T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private final DirectiveParser parser = new DirectiveParser(100,
            new CollateralGuard(16, 32, List.of("192.0.2.0/24", "2001:db8:cafe::/48")), NOW);

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "DOMAIN, GOV.KZ., false, reserved-name",
            "DOMAIN, edu.kz, true, reserved-name",
            "DOMAIN, mil.kz, false, reserved-name",
            "DOMAIN, мем.қаз, true, reserved-name",
            "DOMAIN, БІЛ.ҚАЗ, false, reserved-name",
            "DOMAIN, ком.қаз, false, reserved-name",
            "DOMAIN, қау.қаз, false, reserved-name",
            "DOMAIN, қор.қаз, false, reserved-name",
            "DOMAIN, бай.қаз, false, reserved-name",
            "CIDR, 10.0.0.0/8, , wide-network",
            "CIDR, 198.50.0.0/15, , wide-network",
            "CIDR, 2001:db8::/31, , wide-network",
            "IP, 192.0.2.10, , shared-infrastructure",
            "CIDR, 192.0.0.0/16, , shared-infrastructure",
            "CIDR, 2001:db8:cafe:1::/64, , shared-infrastructure",
    })
    void aTargetCuttingOffMoreIsRefusedNamedWithItsRuleAndAcceptedWhenAcknowledged(
            String type, String value, Boolean subdomains, String rule) {
        DirectiveJson bare = restrict(type, value, subdomains);
        InvalidDocumentException refused = catchThrowableOfType(InvalidDocumentException.class, () -> parser.parse(bare.bytes()));
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.kind()).isEqualTo(Kind.COLLATERAL);
        assertThat(refused.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/targets/1");
            assertThat(violation.detail()).startsWith(rule + ": ").contains("acknowledgeCollateral");
        });

        DirectiveDocument accepted = parser.parse(restrict(type, value, subdomains).acknowledge(value).bytes());
        assertThat(accepted.targets()).hasSize(2);
        assertThat(accepted.targets().get(1).acknowledged()).map(Rule::label).contains(rule);
        assertThat(accepted.targets().get(0).acknowledged()).as("the harmless target beside it").isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
            "DOMAIN, site.kz, true",
            "DOMAIN, news.gov.kz, false",
            "DOMAIN, сайт.қаз, true",
            "URL, https://gov.kz/bad/page, ",
            "CIDR, 198.51.0.0/16, ",
            "CIDR, 2a00:1000::/32, ",
            "IP, 192.0.3.1, ",
            "CIDR, 2001:db8:caff::/48, ",
    })
    void whatCutsOffOneResourceNeedsNoAcknowledgement(String type, String value, Boolean subdomains) {
        assertThat(parser.parse(restrict(type, value, subdomains).bytes()).targets())
                .allSatisfy(entry -> assertThat(entry.acknowledged()).isEmpty());
    }

    @Test
    void anAcknowledgementCoversThatTargetOnlyInWhicheverFormItIsWritten() {
        assertThat(parser.parse(restrict("DOMAIN", "мем.қаз", true).acknowledge("XN--E1ANB.xn--80ao21a.").bytes())
                .targets().get(1).acknowledged()).contains(Rule.RESERVED_NAME);

        InvalidDocumentException other = catchThrowableOfType(InvalidDocumentException.class, () -> parser.parse(
                restrict("DOMAIN", "gov.kz", false).target("DOMAIN", "edu.kz").acknowledge("gov.kz").bytes()));
        assertThat(other.kind()).isEqualTo(Kind.COLLATERAL);
        assertThat(other.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/targets/2");
            assertThat(violation.detail()).startsWith("reserved-name: edu.kz ");
        });
    }

    @Test
    void anAcknowledgementOfNoTargetOrOfNothingIsRefused() {
        InvalidDocumentException stale = catchThrowableOfType(InvalidDocumentException.class, () -> parser.parse(
                restrict("DOMAIN", "gov.kz", true).acknowledge("gov.kz", "edu.kz").bytes()));
        assertThat(stale.kind()).isEqualTo(Kind.COLLATERAL);
        assertThat(stale.violations()).singleElement().satisfies(violation -> {
            assertThat(violation.pointer()).isEqualTo("/acknowledgeCollateral/1");
            assertThat(violation.detail()).contains("edu.kz is no target of this directive");
        });

        InvalidDocumentException garbage = catchThrowableOfType(InvalidDocumentException.class, () -> parser.parse(
                restrict("DOMAIN", "gov.kz", true).acknowledge("not a name!").bytes()));
        assertThat(garbage.kind()).isEqualTo(Kind.INVALID);
        assertThat(garbage.violations()).extracting(Violation::pointer).contains("/acknowledgeCollateral/0");

        InvalidDocumentException onRestore = catchThrowableOfType(InvalidDocumentException.class, () -> parser.parse(
                DirectiveJson.restore("13", "12").acknowledge("kz").bytes()));
        assertThat(onRestore.kind()).isEqualTo(Kind.INVALID);
        assertThat(onRestore.violations()).extracting(Violation::detail).contains("is only for RESTRICT");
    }

    @Test
    void aTopLevelDomainIsNoTargetAcknowledgedOrNot() {
        for (String tld : List.of("kz", "қаз")) {
            InvalidDocumentException refused = catchThrowableOfType(InvalidDocumentException.class,
                    () -> parser.parse(restrict("DOMAIN", tld, true).acknowledge(tld).bytes()));
            assertThat(refused.kind()).isIn(Kind.INVALID, Kind.INVALID_TARGET);
            assertThat(refused.violations()).extracting(Violation::detail).anyMatch(detail -> detail.contains("top-level domain"));
        }
    }

    @Test
    void theSharedInfrastructureFileIsReadLineByLineAndABadLineNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("shared.txt"), """
                # CDN ranges
                203.0.113.0/24   # a CDN
                2001:db8:beef::/48

                198.51.100.7
                """);
        assertThat(CollateralGuard.readShared(file)).containsExactly("203.0.113.0/24", "2001:db8:beef::/48", "198.51.100.7");
        CollateralGuard guard = new CollateralGuard(16, 32, CollateralGuard.readShared(file));
        assertThat(guard.check(kz.qaqpa.directives.targets.TargetNormaliser.ip("203.0.113.77")))
                .map(CollateralGuard.Finding::rule).contains(Rule.SHARED_INFRASTRUCTURE);
        assertThat(guard.check(kz.qaqpa.directives.targets.TargetNormaliser.ip("203.0.114.77"))).isEqualTo(Optional.empty());

        Path bad = Files.writeString(dir.resolve("bad.txt"), "203.0.113.0/24\ncdn.example\n");
        assertThat(catchThrowableOfType(IllegalArgumentException.class, () -> CollateralGuard.readShared(bad)))
                .hasMessageContaining("line 2").hasMessageContaining("cdn.example");
    }

    /** A harmless target first, then the one under test. */
    private static DirectiveJson restrict(String type, String value, Boolean subdomains) {
        DirectiveJson json = DirectiveJson.restrict("C-1").domain("harmless.kz", false);
        return type.equals("DOMAIN") ? json.domain(value, subdomains) : json.target(type, value);
    }
}
