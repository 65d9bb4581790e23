package org.careline.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.net.URL;
import java.util.Locale;

/**
 * Chooses the log's format from CARELINE_LOG_FORMAT when logback starts (before the first line is written, and
 * before any setting is read: logging comes first). Two plain configurations, {@value #TEXT} and {@value #JSON},
 * instead of one with conditions, which would need Janino. A value other than json gives text here; the engine
 * then refuses to start with the setting's error (config.SettingsCatalog), in that format.
 * {@code -Dlogback.configurationFile=…} still wins: an operator's own configuration is left to logback.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    public static final String VARIABLE = "CARELINE_LOG_FORMAT";
    static final String TEXT = "careline-log-text.xml";
    static final String JSON = "careline-log-json.xml";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        URL url = LogConfigurator.class.getResource("/" + fileFor(System.getenv(VARIABLE)));
        if (url == null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        JoranConfigurator joran = new JoranConfigurator();
        joran.setContext(context);
        try {
            joran.doConfigure(url);
        } catch (JoranException e) {
            addError("careline logging configuration not read", e);
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The configuration for the variable's value: json → JSON lines, anything else → text. */
    static String fileFor(String value) {
        return value != null && value.trim().toLowerCase(Locale.ROOT).equals("json") ? JSON : TEXT;
    }
}
