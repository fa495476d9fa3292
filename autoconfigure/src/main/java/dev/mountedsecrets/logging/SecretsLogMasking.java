package dev.mountedsecrets.logging;

import dev.mountedsecrets.ServedSecrets;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Masks every served secret in the log: once Boot has set up logging, and again when the
 * context is prepared and when the application has started (logging may have been set up
 * again), puts every Logback appender's encoder behind a mask (what it writes, whatever
 * produced it, shows {@code ******} for each secret the process served) and keeps it there
 * through every reconfiguration, until the application's context is closed (and every other
 * application that shares its folder's registry is closed too). Does nothing when Logback is
 * not the logging system.
 */
public class SecretsLogMasking implements GenericApplicationListener {

	private static final boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
			SecretsLogMasking.class.getClassLoader())
			&& ClassUtils.isPresent("org.slf4j.LoggerFactory", SecretsLogMasking.class.getClassLoader());

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventType.getRawClass();
		return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
				|| ApplicationPreparedEvent.class.isAssignableFrom(type)
				|| ApplicationStartedEvent.class.isAssignableFrom(type)
				|| ContextClosedEvent.class.isAssignableFrom(type));
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (!LOGBACK_PRESENT) {
			return;
		}
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			install(prepared.getEnvironment(), prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared) {
			Environment environment = prepared.getApplicationContext().getEnvironment();
			install(environment, environment);
		}
		else if (event instanceof ApplicationStartedEvent) {
			// a bean may have configured logging again; so may another application of this
			// process whose environment has no secrets of its own
			LogbackMasking.refresh();
		}
		else if (event instanceof ContextClosedEvent closed) {
			Environment environment = closed.getApplicationContext().getEnvironment();
			ServedSecrets served = ServedSecrets.in(environment);
			if (served != null) {
				// the folder's registry may be in use by another application still open: each
				// application's environment holds it for that application
				LogbackMasking.forget(served, environment);
			}
		}
	}

	private static void install(Environment environment, Object holder) {
		ServedSecrets served = ServedSecrets.in(environment);
		if (served != null) {
			LogbackMasking.install(served, holder);
		}
		else {
			LogbackMasking.refresh();
		}
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
