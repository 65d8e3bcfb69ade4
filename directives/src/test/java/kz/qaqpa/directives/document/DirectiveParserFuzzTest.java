package kz.qaqpa.directives.document;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import kz.qaqpa.directives.directive.Action;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Any bytes submitted as a directive document: a document, or {@link InvalidDocumentException} with
 * at least one violation that names where it is — never another exception, whatever the nesting,
 * encoding or size (the seeds hold deep nesting, invalid UTF-8, duplicate keys and huge numbers).
 */
class DirectiveParserFuzzTest {

    private static final DirectiveParser PARSER =
            new DirectiveParser(100, Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC));

    @FuzzTest(maxDuration = "20s")
    void anyBytesAreADocumentOrItsViolations(byte[] bytes) {
        DirectiveDocument document;
        try {
            document = PARSER.parse(bytes);
        } catch (InvalidDocumentException refused) {
            assertThat(refused.violations()).isNotEmpty()
                    .allSatisfy(violation -> assertThat(violation.detail()).isNotBlank());
            return;
        }
        assertThat(document.number()).isNotBlank();
        assertThat(document.targets()).hasSizeLessThanOrEqualTo(100);
        if (document.action() == Action.RESTRICT) {
            assertThat(document.targets()).isNotEmpty();
        } else {
            assertThat(document.cancels()).isPresent(); // a RESTORE without targets takes the cancelled one's
        }
    }
}
