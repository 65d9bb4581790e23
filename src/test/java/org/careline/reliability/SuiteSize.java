package org.careline.reliability;

/**
 * How big a reliability suite runs. The default test command runs the short versions; {@code mvn -B -Preliability
 * verify} sets {@code careline.reliability=long} and every suite runs at the size its issue asks for.
 */
public final class SuiteSize {

    private SuiteSize() {
    }

    public static boolean isLong() {
        return "long".equalsIgnoreCase(System.getProperty("careline.reliability", "short"));
    }

    /** {@code shortValue} in the default run, {@code longValue} under the reliability profile. */
    public static int pick(int shortValue, int longValue) {
        return isLong() ? longValue : shortValue;
    }

    public static String name() {
        return isLong() ? "long" : "short";
    }
}
