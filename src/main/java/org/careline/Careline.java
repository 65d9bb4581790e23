package org.careline;

import org.careline.config.MappingException;
import org.careline.config.Settings;

/** Entry point: {@code java -jar target/careline.jar} starts the engine from the checkout root. */
public final class Careline {

    private Careline() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings;
        try {
            settings = Settings.fromEnvironment();
            Engine.run(settings);
        } catch (MappingException | IllegalArgumentException | IllegalStateException e) {
            // A configuration mistake: say which file/key/variable, without a stack trace.
            System.err.println("careline: " + e.getMessage());
            System.exit(2);
        }
    }
}
