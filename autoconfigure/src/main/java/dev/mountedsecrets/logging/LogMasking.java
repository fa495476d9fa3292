package dev.mountedsecrets.logging;

import dev.mountedsecrets.ServedSecrets;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The log masking of whichever logging system the application has: Logback, Log4j2, or none
 * it can mask. The classes of a logging system are loaded only when it is present.
 */
final class LogMasking {

	private static final ClassLoader CLASS_LOADER = LogMasking.class.getClassLoader();

	private static final boolean LOGBACK_PRESENT = ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext",
			CLASS_LOADER) && ClassUtils.isPresent("org.slf4j.LoggerFactory", CLASS_LOADER);

	private static final boolean LOG4J2_PRESENT = ClassUtils
		.isPresent("org.apache.logging.log4j.core.LoggerContext", CLASS_LOADER);

	private LogMasking() {
	}

	/**
	 * Mask a registry's secrets in the log as long as its holder is alive and not forgotten.
	 * @param served the registry
	 * @param holder what holds it (an application's environment)
	 */
	static void install(ServedSecrets served, Object holder) {
		MaskingRegistries.add(served, holder);
		refresh();
	}

	/**
	 * Stop masking with a registry for one holder.
	 * @param served the registry
	 * @param holder what held it
	 */
	static void forget(ServedSecrets served, Object holder) {
		MaskingRegistries.forget(served, holder);
	}

	/**
	 * What the logging system in use leaves unmasked for the appenders it has now, to be
	 * said once: see {@link LogbackMasking#fluentEventsLimit(Class, ch.qos.logback.classic.LoggerContext)}.
	 * @return the warning, or {@code null}
	 */
	static @Nullable String limit() {
		if (LOGBACK_PRESENT && !MaskingRegistries.inUse().isEmpty()) {
			return LogbackMasking.fluentEventsLimit();
		}
		return null;
	}

	/** Put the masking on every appender the logging system has now. */
	static void refresh() {
		if (LOGBACK_PRESENT) {
			// Spring Boot's choice too: with both present, Logback is the logging system
			LogbackMasking.refresh();
		}
		else if (LOG4J2_PRESENT) {
			Log4j2Masking.refresh();
		}
	}

}
