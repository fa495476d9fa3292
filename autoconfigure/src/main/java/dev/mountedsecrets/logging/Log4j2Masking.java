package dev.mountedsecrets.logging;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.lang.reflect.Field;
import java.util.Map;
import java.util.WeakHashMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.jspecify.annotations.Nullable;

/**
 * Keeps every appender of a Log4j2 context writing through a {@link Log4j2MaskingLayout}: the
 * appenders of the configuration and of each logger. Looks again each time the context takes
 * a configuration (start-up, Spring Boot setting logging up, {@code monitorInterval},
 * {@code reconfigure()}), which it announces to its property-change listeners.
 * <p>
 * Log4j2 gives an appender its layout for good; the masked layout takes its place in the
 * appender's field. An appender with no text layout, or one that keeps its layout elsewhere,
 * is left as it is.
 */
final class Log4j2Masking implements PropertyChangeListener {

	private static final @Nullable Field LAYOUT = layoutField();

	/** The masking of each context, held as long as the context is. Guarded by itself. */
	private static final Map<LoggerContext, Log4j2Masking> BY_CONTEXT = new WeakHashMap<>();

	private Log4j2Masking() {
	}

	/**
	 * Mask the output of every appender the process's Log4j2 context has now, if a registry
	 * is in use and Log4j2 is the logging system.
	 */
	static void refresh() {
		if (MaskingRegistries.inUse().isEmpty()) {
			return;
		}
		if (LogManager.getContext(Log4j2Masking.class.getClassLoader(), false) instanceof LoggerContext context) {
			installOn(context);
		}
	}

	/**
	 * Mask what every appender of a context writes, now and after every reconfiguration.
	 * @param context the Log4j2 context
	 */
	static void installOn(LoggerContext context) {
		synchronized (BY_CONTEXT) {
			if (!BY_CONTEXT.containsKey(context)) {
				Log4j2Masking masking = new Log4j2Masking();
				BY_CONTEXT.put(context, masking);
				context.addPropertyChangeListener(masking);
			}
		}
		maskAll(context.getConfiguration());
	}

	@Override
	public void propertyChange(PropertyChangeEvent event) {
		if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
				&& event.getNewValue() instanceof Configuration configuration) {
			maskAll(configuration);
		}
	}

	static synchronized void maskAll(@Nullable Configuration configuration) {
		if (configuration == null) {
			return;
		}
		configuration.getAppenders().values().forEach(Log4j2Masking::mask);
		for (LoggerConfig logger : configuration.getLoggers().values()) {
			logger.getAppenders().values().forEach(Log4j2Masking::mask);
		}
		configuration.getRootLogger().getAppenders().values().forEach(Log4j2Masking::mask);
	}

	private static void mask(Appender appender) {
		Layout<?> layout = appender.getLayout();
		if (LAYOUT != null && appender instanceof AbstractAppender && layout instanceof StringLayout text
				&& !(layout instanceof Log4j2MaskingLayout)) {
			try {
				LAYOUT.set(appender, new Log4j2MaskingLayout(text));
			}
			catch (IllegalAccessException ex) {
				// left as it is: a module path that does not open Log4j2 to this library
			}
		}
	}

	private static @Nullable Field layoutField() {
		try {
			Field field = AbstractAppender.class.getDeclaredField("layout");
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

}
