package com.anycontact.innolicense.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link LogSettings} to Logback, over the defaults of {@code logback.xml} (text lines on standard error,
 * the server at INFO, libraries at WARN): the format and destination of the root logger's one appender, and the
 * levels of the areas named.
 *
 * <p>Rotation of a log file: a new file each day and whenever the current one reaches {@value #MAX_FILE_SIZE};
 * the rotated files are compressed ({@code innolicense.log.2027-01-15.0.gz}) and kept {@value #MAX_DAYS} days,
 * {@value #TOTAL_SIZE_CAP} at most in all.
 */
public final class Logging {

    static final String MAX_FILE_SIZE = "10MB";
    static final int MAX_DAYS = 14;
    static final String TOTAL_SIZE_CAP = "1GB";
    static final String TEXT_PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %level %logger{0} - %msg%n";

    private Logging() {}

    /** Applies the settings; call it once, before the server starts. */
    public static void apply(LogSettings settings) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J backend (e.g. a test's): nothing to configure
        }
        for (Map.Entry<String, String> level : settings.levels().entrySet()) {
            context.getLogger(level.getKey()).setLevel(Level.toLevel(level.getValue(), Level.INFO));
        }
        if (settings.equals(LogSettings.DEFAULT)
                || settings.format() == LogSettings.Format.TEXT
                        && settings.file().isEmpty()) {
            return;
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        OutputStreamAppender<ILoggingEvent> appender = settings.file().isPresent()
                ? fileAppender(context, settings.file().get())
                : new ConsoleAppender<>();
        if (appender instanceof ConsoleAppender<ILoggingEvent> console) {
            console.setTarget("System.err");
        }
        appender.setContext(context);
        appender.setName("innolicense");
        appender.setEncoder(encoder(context, settings.format()));
        appender.start();
        root.detachAndStopAllAppenders();
        root.addAppender(appender);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext context, LogSettings.Format format) {
        Encoder<ILoggingEvent> encoder;
        if (format == LogSettings.Format.JSON) {
            JsonEncoder json = new JsonEncoder();
            json.setWithSequenceNumber(false);
            json.setWithNanoseconds(false);
            json.setWithContext(false);
            json.setWithArguments(false);
            json.setWithFormattedMessage(true);
            json.setWithMessage(false);
            encoder = json;
        } else {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(TEXT_PATTERN);
            encoder = text;
        }
        encoder.setContext(context);
        encoder.start();
        return encoder;
    }

    private static RollingFileAppender<ILoggingEvent> fileAppender(LoggerContext context, Path file) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setFile(file.toString());
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        policy.setFileNamePattern(file + ".%d{yyyy-MM-dd}.%i.gz");
        policy.setMaxFileSize(FileSize.valueOf(MAX_FILE_SIZE));
        policy.setMaxHistory(MAX_DAYS);
        policy.setTotalSizeCap(FileSize.valueOf(TOTAL_SIZE_CAP));
        policy.start();
        appender.setRollingPolicy(policy);
        return appender;
    }
}
