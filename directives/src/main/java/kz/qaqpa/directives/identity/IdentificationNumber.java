package kz.qaqpa.directives.identity;

import java.util.regex.Pattern;

/**
 * The check digit shared by the individual (IIN, ЖСН) and business (BIN, БСН) identification
 * numbers of Kazakhstan: twelve digits, the last a check digit over the first eleven.
 *
 * <p>The check digit is the sum of the first eleven digits weighted 1…11, modulo 11. If that is 10,
 * the weights 3…11, 1, 2 are used instead; if that is 10 again, no twelfth digit makes the number
 * valid.
 */
public final class IdentificationNumber {

    private static final Pattern TWELVE_DIGITS = Pattern.compile("[0-9]{12}");
    private static final int[] FIRST_WEIGHTS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    private static final int[] SECOND_WEIGHTS = {3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2};

    private IdentificationNumber() {
    }

    /** Whether {@code text} is twelve digits whose last one is the right check digit. */
    public static boolean isValid(String text) {
        if (!TWELVE_DIGITS.matcher(text).matches()) {
            return false;
        }
        int check = weightedSum(text, FIRST_WEIGHTS) % 11;
        if (check == 10) {
            check = weightedSum(text, SECOND_WEIGHTS) % 11;
            if (check == 10) {
                return false;
            }
        }
        return check == text.charAt(11) - '0';
    }

    private static int weightedSum(String digits, int[] weights) {
        int sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += (digits.charAt(i) - '0') * weights[i];
        }
        return sum;
    }
}
