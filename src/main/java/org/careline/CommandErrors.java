package org.careline;

import org.careline.config.MappingException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * The one place where a command's failure becomes what the operator reads: one line on standard error, no stack
 * trace, exit code 2 for a mistake in the arguments, the environment or the files (1 for anything else). A typo of
 * a command ({@code sendhl7}) is named with picocli's closest suggestion and never falls through to the engine.
 */
final class CommandErrors implements CommandLine.IParameterExceptionHandler,
        CommandLine.IExecutionExceptionHandler {

    /** Exit code of a usage or configuration mistake (picocli's own for usage errors). */
    static final int MISTAKE = 2;
    /** Exit code of a failure that is not the operator's mistake. */
    static final int FAILURE = 1;

    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(usageLine(ex));
        err.flush();
        return MISTAKE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("careline: " + oneLine(ex));
        err.flush();
        return isMistake(ex) ? MISTAKE : FAILURE;
    }

    /** A usage error as one line: an unknown command with the nearest one, or picocli's message and where help is. */
    static String usageLine(ParameterException ex) {
        CommandLine cmd = ex.getCommandLine();
        String name = cmd.getCommandSpec().qualifiedName();
        if (ex instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            List<String> suggestions = unmatched.getSuggestions();
            boolean option = first.startsWith("-");
            if (!option && cmd.getSubcommands().isEmpty()) {
                return name + ": unexpected argument '" + first + "'; see " + name + " --help";
            }
            String what = option ? "unknown option '" : "unknown command '";
            String hint = suggestions.isEmpty()
                    ? (option ? "" : "; the commands are " + String.join(", ", cmd.getSubcommands().keySet()))
                    : "; did you mean " + suggestions.get(0) + "?";
            return name + ": " + what + first + "'" + hint + " (see " + name + " --help)";
        }
        String message = ex.getMessage() == null ? "wrong arguments" : ex.getMessage().split("\n", 2)[0];
        return name + ": " + message + " (see " + name + " --help)";
    }

    /** Whether a failure is a mistake in what the operator gave (arguments, environment, files). */
    static boolean isMistake(Throwable t) {
        return t instanceof MappingException || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException || t instanceof IOException || t instanceof UncheckedIOException;
    }

    /**
     * A failure in one line, without a Java class name: the messages Careline writes (settings, mappings) as they
     * are; a failure from below (a socket, a file, Camel) by its root cause, which says what actually went wrong.
     */
    static String oneLine(Throwable t) {
        if ((t instanceof MappingException || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException) && t.getMessage() != null && !t.getMessage().isBlank()) {
            return t.getMessage().strip().split("\\R", 2)[0];
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null || root.getMessage().isBlank() ? null : firstLine(root.getMessage());
        if (root instanceof NoSuchFileException) {
            return "no such file: " + message;
        }
        if (root instanceof AccessDeniedException) {
            return "not allowed to read: " + message;
        }
        if (root instanceof UnknownHostException) {
            return "unknown host: " + message;
        }
        if (root instanceof ConnectException) {
            return "cannot connect: " + (message == null ? "connection refused" : message);
        }
        // Otherwise the outermost message: a library's wrapper usually says what it was doing.
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return firstLine(c.getMessage());
            }
        }
        String kind = root.getClass().getSimpleName().replace("Exception", "").replace("Error", "");
        return "internal error (" + kind + "); please report it with the log";
    }

    /**
     * The first line of a library's message, without the Java class names it may quote ("java.net.ConnectException:
     * Connection refused" becomes "Connection refused"): they say nothing to an operator.
     */
    static String firstLine(String text) {
        String line = text.strip().split("\\R", 2)[0];
        line = line.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ", "");
        line = line.replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*)", "$1");
        return line.replaceAll("\\b([A-Z][A-Za-z0-9_$]*?)Exception\\b", "$1");
    }
}
