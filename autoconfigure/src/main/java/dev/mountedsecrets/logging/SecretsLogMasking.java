package dev.mountedsecrets.logging;

import java.util.concurrent.atomic.AtomicBoolean;

import dev.mountedsecrets.ServedSecrets;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.GenericApplicationListener;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;

/**
 * Masks every served secret in the log: once Boot has set up logging, and again when the
 * context is prepared and when the application has started (logging may have been set up
 * again), puts what every appender writes behind a mask (the encoder of each Logback
 * appender, the layout of each Log4j2 appender: whatever produced the line, it shows
 * {@code ******} for each secret the process served) and keeps it there through every
 * reconfiguration, until the application's context is closed: after its last bean is destroyed,
 * so that what is logged while it stops (graceful shutdown, {@code @PreDestroy}, pools closing)
 * is masked too (and only once every other application that shares its folder's registry is
 * closed too).
 */
public class SecretsLogMasking implements GenericApplicationListener {

	private static final Log logger = LogFactory.getLog(SecretsLogMasking.class);

	private static final AtomicBoolean limitWarned = new AtomicBoolean();

	private static final String ENVIRONMENT_CHANGE_EVENT = "org.springframework.cloud.context.environment.EnvironmentChangeEvent";

	@Override
	public boolean supportsEventType(ResolvableType eventType) {
		Class<?> type = eventType.getRawClass();
		return type != null && (ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(type)
				|| ApplicationPreparedEvent.class.isAssignableFrom(type)
				|| ApplicationStartedEvent.class.isAssignableFrom(type)
				|| ContextClosedEvent.class.isAssignableFrom(type) || isEnvironmentChange(type));
	}

	/**
	 * Whether an event type is Spring Cloud's {@code EnvironmentChangeEvent} (known by name:
	 * Spring Cloud is optional), published once a refresh has put new property sources in the
	 * environment. A refresh that runs the starter's post-processor on a copy of the
	 * environment may read another folder than the one read at start-up (when secrets.dir was
	 * set in a property source Spring Cloud does not copy): its registry must mask the log too.
	 */
	private static boolean isEnvironmentChange(Class<?> type) {
		for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
			if (candidate.getName().equals(ENVIRONMENT_CHANGE_EVENT)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void onApplicationEvent(ApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			install(prepared.getEnvironment(), prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared) {
			ConfigurableApplicationContext context = prepared.getApplicationContext();
			Environment environment = context.getEnvironment();
			install(environment, environment);
			ServedSecrets served = ServedSecrets.in(environment);
			if (served != null) {
				MaskingRelease.register(context, served, environment);
			}
		}
		else if (event instanceof ApplicationStartedEvent) {
			// a bean may have configured logging again; so may another application of this
			// process whose environment has no secrets of its own
			LogMasking.refresh();
			warnOfLimit();
		}
		else if (isEnvironmentChange(event.getClass()) && event.getSource() instanceof ConfigurableApplicationContext context
				&& context.isActive()) {
			Environment environment = context.getEnvironment();
			install(environment, environment);
		}
		else if (event instanceof ContextClosedEvent closed
				&& !MaskingRelease.registeredIn(closed.getApplicationContext())) {
			// a context whose beans cannot be told apart from the last one destroyed: forget
			// its registry as it starts closing
			Environment environment = closed.getApplicationContext().getEnvironment();
			ServedSecrets served = ServedSecrets.in(environment);
			if (served != null) {
				LogMasking.forget(served, environment);
			}
		}
	}

	/** Say once per process what the logging system leaves unmasked, if anything. */
	private static void warnOfLimit() {
		if (!limitWarned.get()) {
			String limit = LogMasking.limit();
			if (limit != null && !limitWarned.getAndSet(true)) {
				logger.warn(limit);
			}
		}
	}

	private static void install(Environment environment, Object holder) {
		ServedSecrets served = ServedSecrets.in(environment);
		if (served != null) {
			LogMasking.install(served, holder);
		}
		else {
			LogMasking.refresh();
		}
	}

	@Override
	public int getOrder() {
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

}
