package dev.mountedsecrets.logging;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import dev.mountedsecrets.MaskedFailure;
import dev.mountedsecrets.ServedSecrets;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * A Logback filter first in line for every log event at or above its logger's level: an event whose
 * message, arguments or exception messages show a served secret is written with each secret
 * replaced by {@value ServedSecrets#MASK} (the original event is dropped). The filter is for
 * appenders that write no bytes of their own (they send events elsewhere); what an appender
 * writes through an encoder is masked by {@link MaskingEncoder} whatever the filter decided,
 * see {@link LogbackOutputMasking}.
 */
final class LogbackMasking extends TurboFilter {

	private static final String NAME = "mountedSecretsMasking";

	private LogbackMasking() {
		setName(NAME);
	}

	static void install(ServedSecrets served, Object holder) {
		MaskingRegistries.add(served, holder);
		refresh();
	}

	/**
	 * Mask the output of every appender the process's Logback context has now (logging may
	 * have been configured again since the last look), if a registry is in use.
	 */
	static void refresh() {
		if (registries().isEmpty()) {
			return;
		}
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (factory instanceof LoggerContext context) {
			LogbackOutputMasking.installOn(context);
		}
	}

	/** Put the filter first in a context's line, unless it is there already. */
	static void addTo(LoggerContext context) {
		synchronized (LogbackMasking.class) {
			for (TurboFilter filter : context.getTurboFilterList()) {
				if (filter instanceof LogbackMasking) {
					return;
				}
			}
			LogbackMasking masking = new LogbackMasking();
			masking.setContext(context);
			masking.start();
			context.getTurboFilterList().add(0, masking);
		}
	}

	/** See {@link MaskingRegistries#forget(ServedSecrets, Object)}. */
	static void forget(ServedSecrets served, Object holder) {
		MaskingRegistries.forget(served, holder);
	}

	@Override
	public FilterReply decide(@Nullable Marker marker, Logger logger, Level level, @Nullable String format,
			Object @Nullable [] params, @Nullable Throwable throwable) {
		if (level == null || !level.isGreaterOrEqual(logger.getEffectiveLevel()) || (format == null && throwable == null)) {
			return FilterReply.NEUTRAL;
		}
		List<ServedSecrets> registries = registries();
		if (registries.isEmpty()) {
			return FilterReply.NEUTRAL;
		}
		FormattingTuple tuple = (format != null) ? MessageFormatter.arrayFormat(format, params) : null;
		String message = (tuple != null) ? tuple.getMessage() : null;
		Throwable failure = (throwable != null) ? throwable : (tuple != null) ? tuple.getThrowable() : null;
		String masked = (message != null) ? mask(message, registries) : null;
		boolean failureShows = failure != null && shows(failure, registries);
		if (!failureShows && (message == null || masked.equals(message))) {
			return FilterReply.NEUTRAL;
		}
		if (laterFiltersDeny(logger.getLoggerContext(), marker, logger, level, format, params, throwable)) {
			return FilterReply.DENY;
		}
		LoggingEvent event = new LoggingEvent(Logger.FQCN, logger, level, masked, null, null);
		event.setCallerData(CallerFrames.of(new Throwable(), logger.getLoggerContext()));
		if (marker != null) {
			event.addMarker(marker);
		}
		if (failure != null) {
			event.setThrowableProxy(new MaskedThrowableProxy(failure, registries));
		}
		logger.callAppenders(event);
		return FilterReply.DENY;
	}

	/**
	 * Whether the turbo filters after this one deny an event this one is about to write
	 * masked: the event it writes in place of the original passes no other turbo filter, so
	 * the others are asked here, once each, as Logback would have asked them (a filter that
	 * denies a marker, one that drops repeated messages). An event one of them accepts, or
	 * none decides on, is written (this filter only writes events at or above the logger's
	 * level).
	 */
	private boolean laterFiltersDeny(LoggerContext context, @Nullable Marker marker, Logger logger, Level level,
			@Nullable String format, Object @Nullable [] params, @Nullable Throwable throwable) {
		boolean after = false;
		for (TurboFilter filter : context.getTurboFilterList()) {
			if (after) {
				FilterReply reply = filter.decide(marker, logger, level, format, params, throwable);
				if (reply != FilterReply.NEUTRAL) {
					return reply == FilterReply.DENY;
				}
			}
			after |= (filter == this);
		}
		return false;
	}

	/**
	 * What a Logback older than 1.5.21 leaves unmasked, if the context has an appender it
	 * applies to: an event logged through SLF4J's fluent API ({@code logger.atInfo()...log()})
	 * passes through no turbo filter there (logback issue 871), so an appender that writes no
	 * bytes receives it as logged. What an appender writes through an encoder is masked all
	 * the same.
	 * @param turboFilter Logback's turbo filter class
	 * @param context the context whose appenders are looked at
	 * @return the warning, or {@code null}
	 */
	static @Nullable String fluentEventsLimit(Class<?> turboFilter, LoggerContext context) {
		try {
			turboFilter.getMethod("decide", Logger.class, org.slf4j.event.LoggingEvent.class);
			return null;
		}
		catch (NoSuchMethodException ex) {
			String appenders = LogbackOutputMasking.withoutBytes(context);
			if (appenders.isEmpty()) {
				return null;
			}
			return "Logback " + versionOf(turboFilter) + " passes events logged through SLF4J's fluent API "
					+ "(logger.atInfo()...log()) to no turbo filter (logback issue 871), so appenders that write no "
					+ "bytes (" + appenders + ") receive a secret in such an event as it was logged; what an "
					+ "appender writes through an encoder is masked. Fix: use Logback 1.5.21 or later "
					+ "(the Maven or Gradle property logback.version)";
		}
	}

	private static String versionOf(Class<?> type) {
		String version = type.getPackage().getImplementationVersion();
		return (version != null) ? version : "before 1.5.21";
	}

	/** {@link #fluentEventsLimit(Class, LoggerContext)} for the process's context and Logback. */
	static @Nullable String fluentEventsLimit() {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		return (factory instanceof LoggerContext context) ? fluentEventsLimit(TurboFilter.class, context) : null;
	}

	static List<ServedSecrets> registries() {
		return MaskingRegistries.inUse();
	}

	static String mask(String text, List<ServedSecrets> registries) {
		return MaskingRegistries.mask(text, registries);
	}

	/**
	 * Whether an exception, a cause or a suppressed exception shows a secret in its message; a
	 * chain deeper than {@link MaskedFailure#MAX_DEPTH} is taken as showing one (the masked copy
	 * masks every level).
	 */
	private static boolean shows(@Nullable Throwable failure, List<ServedSecrets> registries) {
		return shows(failure, registries, Collections.newSetFromMap(new IdentityHashMap<>()), 0);
	}

	private static boolean shows(@Nullable Throwable failure, List<ServedSecrets> registries, Set<Throwable> seen,
			int depth) {
		if (failure == null || !seen.add(failure)) {
			return false;
		}
		if (depth > MaskedFailure.MAX_DEPTH) {
			return true;
		}
		String message = failure.getMessage();
		if (message != null && !mask(message, registries).equals(message)) {
			return true;
		}
		for (Throwable suppressed : failure.getSuppressed()) {
			if (shows(suppressed, registries, seen, depth + 1)) {
				return true;
			}
		}
		return shows(failure.getCause(), registries, seen, depth + 1);
	}

	/** The exception of a masked event, as Logback prints it, with every message masked. */
	private static final class MaskedThrowableProxy extends ThrowableProxy {

		private final List<ServedSecrets> registries;

		MaskedThrowableProxy(Throwable failure, List<ServedSecrets> registries) {
			super(failure);
			this.registries = registries;
		}

		@Override
		public @Nullable String getMessage() {
			String message = super.getMessage();
			return (message != null) ? mask(message, this.registries) : null;
		}

		/**
		 * The exception itself, for what prints it rather than this proxy (Boot's structured
		 * formats, appenders that send exceptions): a copy whose every message, cause and
		 * suppressed exception is masked.
		 */
		@Override
		public Throwable getThrowable() {
			return MaskedFailure.of(super.getThrowable(), (text) -> mask(text, this.registries));
		}

		@Override
		public @Nullable IThrowableProxy getCause() {
			IThrowableProxy cause = super.getCause();
			return (cause != null) ? new MaskedProxy(cause, this.registries) : null;
		}

		@Override
		public IThrowableProxy[] getSuppressed() {
			return MaskedProxy.maskAll(super.getSuppressed(), this.registries);
		}

	}

	/** A cause or suppressed exception, as Logback prints it, with every message masked. */
	private static final class MaskedProxy implements IThrowableProxy {

		private final IThrowableProxy proxy;

		private final List<ServedSecrets> registries;

		MaskedProxy(IThrowableProxy proxy, List<ServedSecrets> registries) {
			this.proxy = proxy;
			this.registries = registries;
		}

		@Override
		public @Nullable String getMessage() {
			String message = this.proxy.getMessage();
			return (message != null) ? mask(message, this.registries) : null;
		}

		@Override
		public String getClassName() {
			return this.proxy.getClassName();
		}

		@Override
		public StackTraceElementProxy[] getStackTraceElementProxyArray() {
			return this.proxy.getStackTraceElementProxyArray();
		}

		@Override
		public int getCommonFrames() {
			return this.proxy.getCommonFrames();
		}

		@Override
		public @Nullable IThrowableProxy getCause() {
			IThrowableProxy cause = this.proxy.getCause();
			return (cause != null) ? new MaskedProxy(cause, this.registries) : null;
		}

		@Override
		public IThrowableProxy[] getSuppressed() {
			return maskAll(this.proxy.getSuppressed(), this.registries);
		}

		static IThrowableProxy[] maskAll(IThrowableProxy @Nullable [] proxies, List<ServedSecrets> registries) {
			if (proxies == null) {
				return new IThrowableProxy[0];
			}
			IThrowableProxy[] masked = new IThrowableProxy[proxies.length];
			for (int i = 0; i < proxies.length; i++) {
				masked[i] = new MaskedProxy(proxies[i], registries);
			}
			return masked;
		}

		@Override
		public boolean isCyclic() {
			return this.proxy.isCyclic();
		}

	}

}
