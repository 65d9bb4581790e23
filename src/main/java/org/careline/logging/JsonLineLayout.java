package org.careline.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One JSON object per log line (CARELINE_LOG_FORMAT=json): {@code time} (ISO-8601 with the zone's offset, as the
 * text format shows it), {@code level}, {@code logger}, {@code thread}, {@code message} and, when the entry has one,
 * {@code exception}: the exception's class only. Never its message or stack trace, which may quote values the
 * engine's own lines keep out (a driver's message can quote a row). The message is the same ids-only line the text
 * format writes; control characters in it are escaped as JSON requires, so no value can break a line.
 */
public final class JsonLineLayout extends LayoutBase<ILoggingEvent> {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneId.systemDefault());

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(256);
        b.append('{');
        field(b, "time", TIME.format(Instant.ofEpochMilli(event.getTimeStamp())));
        b.append(',');
        field(b, "level", event.getLevel().toString());
        b.append(',');
        field(b, "logger", event.getLoggerName());
        b.append(',');
        field(b, "thread", event.getThreadName());
        b.append(',');
        field(b, "message", event.getFormattedMessage());
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.append(',');
            field(b, "exception", thrown.getClassName());
        }
        b.append('}').append(CoreConstants.LINE_SEPARATOR);
        return b.toString();
    }

    @Override
    public String getContentType() {
        return "application/json";
    }

    private static void field(StringBuilder b, String name, String value) {
        quote(b, name);
        b.append(':');
        if (value == null) {
            b.append("null");
        } else {
            quote(b, value);
        }
    }

    /** A JSON string: quote, backslash and every character below U+0020 escaped, and U+2028/2029 too. */
    static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
