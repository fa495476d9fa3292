package dev.mountedsecrets.logging;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.WeakHashMap;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.helpers.NOPAppender;
import ch.qos.logback.core.sift.SiftingAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.ConfigurationEvent;
import ch.qos.logback.core.spi.ConfigurationEventListener;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Keeps every appender of a Logback context writing through a {@link MaskingEncoder}: the
 * appenders of every logger, and those nested in an appender that holds others (such as
 * {@code AsyncAppender}). Looks again whenever the context may have new appenders: when it
 * starts (Spring Boot starts it after configuring it), when a configuration ends (a
 * configuration file, read at start-up or again by {@code scan}) and when a level changes. A
 * reset removes the masking filter, which is put back first in line.
 * <p>
 * Survives {@code LoggerContext.reset()} as a reset-resistant listener. {@code stop()} removes
 * every context listener, reset-resistant or not; configuration listeners survive it, and the
 * next configuration file puts the context listener back; a configuration made in code (as
 * Spring Boot's default one is) reads no file, but each console or file appender it starts
 * reports its start to the context's status listeners, which {@code stop()} keeps.
 */
final class LogbackOutputMasking implements LoggerContextListener, ConfigurationEventListener, StatusListener {

	/** The masking of each context, held as long as the context is. Guarded by itself. */
	private static final Map<LoggerContext, LogbackOutputMasking> BY_CONTEXT = new WeakHashMap<>();

	private final LoggerContext context;

	private LogbackOutputMasking(LoggerContext context) {
		this.context = context;
	}

	/**
	 * Mask what every appender of a context writes, now and after every reconfiguration.
	 * @param context the Logback context
	 */
	static void installOn(LoggerContext context) {
		LogbackOutputMasking masking;
		synchronized (BY_CONTEXT) {
			masking = BY_CONTEXT.get(context);
			if (masking == null) {
				masking = new LogbackOutputMasking(context);
				BY_CONTEXT.put(context, masking);
				context.addConfigurationEventListener(masking);
				context.getStatusManager().add(masking);
			}
		}
		masking.listen();
		masking.refresh();
	}

	/** Listen to the context, unless already (a {@code stop()} removes context listeners). */
	private void listen() {
		if (!this.context.getCopyOfListenerList().contains(this)) {
			this.context.addListener(this);
		}
	}

	/** Put the masking filter first in line and every appender's encoder behind a mask. */
	synchronized void refresh() {
		LogbackMasking.addTo(this.context);
		Set<Appender<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Logger logger : this.context.getLoggerList()) {
			maskAll(logger, seen);
		}
	}

	private static void maskAll(AppenderAttachable<?> attachable, Set<Appender<?>> seen) {
		for (Iterator<? extends Appender<?>> appenders = attachable.iteratorForAppenders(); appenders.hasNext();) {
			Appender<?> appender = appenders.next();
			if (seen.add(appender)) {
				if (appender instanceof OutputStreamAppender<?> output) {
					mask(output);
				}
				if (appender instanceof AppenderAttachable<?> nested) {
					maskAll(nested, seen);
				}
			}
		}
	}

	/**
	 * The names of the appenders of a context that write no bytes through an encoder (nor
	 * hold appenders that do), comma-separated; empty if none.
	 */
	static String withoutBytes(LoggerContext context) {
		Set<Appender<?>> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		Set<String> names = new TreeSet<>();
		for (Logger logger : context.getLoggerList()) {
			collectWithoutBytes(logger, seen, names);
		}
		return String.join(", ", names);
	}

	private static void collectWithoutBytes(AppenderAttachable<?> attachable, Set<Appender<?>> seen, Set<String> names) {
		for (Iterator<? extends Appender<?>> appenders = attachable.iteratorForAppenders(); appenders.hasNext();) {
			Appender<?> appender = appenders.next();
			if (seen.add(appender)) {
				if (appender instanceof AppenderAttachable<?> nested) {
					collectWithoutBytes(nested, seen, names);
				}
				else if (!(appender instanceof OutputStreamAppender<?> || appender instanceof SiftingAppenderBase<?>
						|| appender instanceof NOPAppender<?>)) {
					// a sifting appender's own appenders are masked as they start (addStatusEvent)
					names.add(appender.getName() + " (" + appender.getClass().getSimpleName() + ")");
				}
			}
		}
	}

	private static <E> void mask(OutputStreamAppender<E> appender) {
		Encoder<E> encoder = appender.getEncoder();
		if (encoder != null && !(encoder instanceof MaskingEncoder)) {
			appender.setEncoder(new MaskingEncoder<>(encoder));
		}
	}

	@Override
	public boolean isResetResistant() {
		return true;
	}

	@Override
	public void onStart(LoggerContext context) {
		refresh();
	}

	@Override
	public void onReset(LoggerContext context) {
		refresh();
	}

	@Override
	public void onStop(LoggerContext context) {
	}

	@Override
	public void onLevelChange(Logger logger, Level level) {
		refresh();
	}

	/**
	 * An appender that reports its start: console and file appenders do, each time, before
	 * any logger holds them, and so before they write. This is also how the appenders that
	 * another creates lazily are found: a {@code SiftingAppender}'s, one per value of its
	 * discriminator, built from its configuration when the first event with that value comes
	 * ({@code LogbackSiftingMaskingTests}). The one look that no {@code stop()} and no configuration made in
	 * code (Spring Boot's own, when logging is set up again outside an application's start)
	 * removes.
	 */
	@Override
	public void addStatusEvent(Status status) {
		if (status.getOrigin() instanceof OutputStreamAppender<?> appender) {
			mask(appender);
			LogbackMasking.addTo(this.context);
		}
	}

	@Override
	public void listen(ConfigurationEvent event) {
		switch (event.getEventType()) {
			case CONFIGURATION_STARTED -> listen();
			case PARTIAL_CONFIGURATION_ENDED_SUCCESSFULLY, CONFIGURATION_ENDED_SUCCESSFULLY,
					CONFIGURATION_ENDED_WITH_XML_PARSING_ERRORS -> {
				listen();
				refresh();
			}
			default -> {
			}
		}
	}

}
