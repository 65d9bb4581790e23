package org.careline.config;

import java.util.regex.Pattern;

/**
 * Hides credentials written inside a URL before it is printed (the start line, {@code config}, a setting's error):
 * a JDBC URL's {@code password=…} / {@code user=…;password=…} property and the {@code user:password@} of an HTTP URL
 * (issue 14, finding 6). Pure.
 */
public final class UrlCredentials {

    private static final Pattern PASSWORD_PROPERTY = Pattern.compile("(?i)(password|pwd)=[^;&]*");
    private static final Pattern USER_INFO = Pattern.compile("(//[^/@:\\s]*):[^/@\\s]*@");

    private UrlCredentials() {
    }

    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = PASSWORD_PROPERTY.matcher(text).replaceAll("$1=****");
        return USER_INFO.matcher(masked).replaceAll("$1:****@");
    }
}
