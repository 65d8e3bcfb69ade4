package kz.qaqpa.directives.targets;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.function.Function;

/**
 * Any text a directive may carry as a target: the normaliser either refuses it with
 * {@link InvalidTargetException} or gives a target whose value is its own normal form (normalising
 * it again changes nothing) and is plain ASCII, as the blocklist and the policy zone need.
 */
class TargetNormaliserFuzzTest {

    @FuzzTest(maxDuration = "20s")
    void anyTextIsRefusedOrNormalisedToAFixedPoint(FuzzedDataProvider data) {
        int kind = data.consumeInt(0, 3);
        String text = data.consumeRemainingAsString();
        switch (kind) {
            case 0 -> fixedPoint(text, value -> TargetNormaliser.domain(value, true));
            case 1 -> fixedPoint(text, TargetNormaliser::url);
            case 2 -> fixedPoint(text, TargetNormaliser::ip);
            default -> fixedPoint(text, TargetNormaliser::cidr);
        }
    }

    private static void fixedPoint(String text, Function<String, ? extends Target> normalise) {
        Target target;
        try {
            target = normalise.apply(text);
        } catch (InvalidTargetException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }
        assertThat(target.value().chars().allMatch(c -> c > 0x20 && c < 0x7f)).as(target.value()).isTrue();
        assertThat(normalise.apply(target.value())).isEqualTo(target);
    }
}
