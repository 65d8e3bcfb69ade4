package kz.qaqpa.directives.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdentificationNumberTest {

    // 9·1+9·2+0·3+7·4+4·5+0+0+0+0+0+2·11 = 97; 97 mod 11 = 9.
    // 123456789013: the first sum is 296 ≡ 10, the second (weights 3…11,1,2) is 377 ≡ 3.
    @ParameterizedTest
    @ValueSource(strings = {"990740000029", "100140011059", "870401400125", "000000000000", "123456789013"})
    void numbersWithTheRightCheckDigitAreValid(String number) {
        assertThat(IdentificationNumber.isValid(number)).isTrue();
    }

    // 000001000730…9: both weighted sums are ≡ 10, so no check digit can make it valid.
    @ParameterizedTest
    @ValueSource(strings = {"990740000021", "123456789010", "000001000730", "000001000735", "000001000739",
            "99074000002", "9907400000290", "99074000002a", "", "９９０７４０００００２９"})
    void wrongCheckDigitsLengthsAndCharactersAreInvalid(String number) {
        assertThat(IdentificationNumber.isValid(number)).isFalse();
    }
}
