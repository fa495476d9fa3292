package dev.mountedsecrets.logging;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.StringLayout;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.appender.routing.RoutingAppender;
import org.apache.logging.log4j.core.config.AppenderControl;
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
 * is left as it is. A {@code RoutingAppender} creates the appender of a route when the first
 * event for it comes, after any look: each is masked as the routing appender stores it,
 * before it writes ({@code Log4j2RoutingMaskingTests}).
 */
final class Log4j2Masking implements PropertyChangeListener {

	private static final @Nullable Field LAYOUT = layoutField();

	/** Where a routing appender keeps the appenders it created, and its read-only view of them. */
	private static final @Nullable Field CREATED_ROUTES = field(RoutingAppender.class, "createdAppenders");

	private static final @Nullable Field CREATED_ROUTES_VIEW = field(RoutingAppender.class,
			"createdAppendersUnmodifiableView");

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
		if (appender instanceof RoutingAppender routing) {
			maskRoutes(routing);
		}
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

	/**
	 * Mask the appenders a routing appender has created, and each it creates from now on,
	 * before it writes: the routing appender keeps them in a map, which a map that masks what
	 * is put in it replaces (under the appender's lock, which its creation of an appender
	 * holds). Left as it is if its fields cannot be reached.
	 */
	private static void maskRoutes(RoutingAppender routing) {
		if (CREATED_ROUTES == null || CREATED_ROUTES_VIEW == null) {
			return;
		}
		synchronized (routing) {
			try {
				if (CREATED_ROUTES.get(routing) instanceof Map<?, ?> created && !(created instanceof MaskingRoutes)) {
					MaskingRoutes masking = new MaskingRoutes();
					created.forEach(masking::put);
					CREATED_ROUTES.set(routing, masking);
					CREATED_ROUTES_VIEW.set(routing, Collections.unmodifiableMap(masking));
				}
			}
			catch (IllegalAccessException | RuntimeException ex) {
				// left as it is: a Log4j2 whose routing appender keeps its appenders otherwise
			}
		}
	}

	private static @Nullable Field layoutField() {
		return field(AbstractAppender.class, "layout");
	}

	private static @Nullable Field field(Class<?> type, String name) {
		try {
			Field field = type.getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			return null;
		}
	}

	/** The appenders of a routing appender's routes: each masked as it is put in. */
	private static final class MaskingRoutes extends ConcurrentHashMap<Object, Object> {

		@Override
		public Object put(Object key, Object value) {
			if (value instanceof AppenderControl control) {
				mask(control.getAppender());
			}
			return super.put(key, value);
		}

	}

}
