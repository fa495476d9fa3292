package dev.mountedsecrets.logging;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.turbo.MDCFilter;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.spi.FilterReply;
import dev.mountedsecrets.MaskedFailure;
import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The limit of the masking for a Logback appender that writes no bytes through an encoder
 * (here a {@code ListAppender}, which keeps the events themselves, as a socket, database or
 * OpenTelemetry appender takes them): what the documentation says is masked for it, and what
 * is not.
 */
class LogbackNoBytesAppenderTests {

	private static final String SECRET = "Event-Level-Secret-6b0d52fa";

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	private final LoggerContext context = new LoggerContext();

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	private Logger logger;

	@BeforeEach
	void serve() {
		this.served.record(List.of(SECRET));
		LogbackMasking.install(this.served, this.holder);
		this.context.setName("no-bytes");
		this.context.setMDCAdapter(MDC.getMDCAdapter());
		this.events.setContext(this.context);
		this.events.setName("EVENTS");
		this.events.start();
		Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.setLevel(Level.INFO);
		root.addAppender(this.events);
		LogbackOutputMasking.installOn(this.context);
		this.logger = this.context.getLogger("events.app");
	}

	@AfterEach
	void forget() {
		LogbackMasking.forget(this.served, this.holder);
		this.context.stop();
		MDC.clear();
	}

	@Test
	void logWhenMessageOrExceptionShowsSecretGivesAppenderMaskedCopy() {
		this.logger.info("ordinary-argument {}", SECRET);
		this.logger.warn("failed", new IllegalStateException("ordinary-exception " + SECRET));
		assertThat(this.events.list).hasSize(2);
		assertThat(this.events.list.get(0).getFormattedMessage()).isEqualTo("ordinary-argument ******");
		assertThat(this.events.list.get(1).getThrowableProxy().getMessage()).isEqualTo("ordinary-exception ******");
	}

	@Test
	void logWhenSecretIsInACauseDeeperThanLookedAtGivesAppenderMaskedCopy() {
		Throwable failure = new IllegalStateException("innermost " + SECRET);
		for (int i = 0; i < MaskedFailure.MAX_DEPTH + 6; i++) {
			failure = new IllegalStateException("level " + i, failure);
		}
		this.logger.error("deep chain", failure);
		assertThat(this.events.list).singleElement().satisfies((event) -> {
			StringBuilder shown = new StringBuilder();
			for (IThrowableProxy proxy = event.getThrowableProxy(); proxy != null; proxy = proxy.getCause()) {
				shown.append(proxy.getMessage()).append('\n');
			}
			assertThat(shown).contains("innermost ******").doesNotContain(SECRET);
		});
	}

	@Test
	void logWhenCauseChainIsACycleWithoutSecretLeavesTheEventAsLogged() {
		IllegalStateException first = new IllegalStateException("first");
		IllegalStateException second = new IllegalStateException("second", first);
		first.initCause(second);
		this.logger.atWarn().addKeyValue("order", "ordinary-kv").setCause(first).log("cycle {}", "ordinary-arg");
		assertThat(this.events.list).singleElement().satisfies((event) -> {
			assertThat(event.getArgumentArray()).containsExactly("ordinary-arg");
			assertThat(event.getKeyValuePairs()).isNotEmpty();
		});
	}

	@Test
	void logWhenMessageShowsSecretDropsKeyValuePairs() {
		this.logger.atInfo().addKeyValue("note", "ordinary-kv").log("ordinary-message {}", SECRET);
		ILoggingEvent event = this.events.list.get(0);
		assertThat(event.getFormattedMessage()).isEqualTo("ordinary-message ******");
		assertThat(event.getKeyValuePairs()).isNullOrEmpty();
	}

	@Test
	void fluentEventsLimitWhenTurboFiltersSeeNoFluentEventNamesTheAppendersWithoutBytes() {
		// Logback 1.5.20 (Spring Boot 3.5's) has no TurboFilter.decide(Logger, LoggingEvent)
		abstract class OldTurboFilter {

			abstract FilterReply decide(org.slf4j.Marker marker, Logger logger, Level level, String format,
					Object[] params, Throwable t);

		}
		assertThat(LogbackMasking.fluentEventsLimit(OldTurboFilter.class, this.context)).contains("Logback ")
			.contains("fluent API")
			.contains("logback issue 871")
			.contains(this.events.getName() + " (ListAppender)")
			.contains("Logback 1.5.21 or later");
		assertThat(LogbackMasking.fluentEventsLimit(ch.qos.logback.classic.turbo.TurboFilter.class, this.context))
			.isNull();
		Logger root = this.context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.detachAppender(this.events);
		// appenders whose output is masked, or that send nothing: not named
		ch.qos.logback.core.ConsoleAppender<ILoggingEvent> console = new ch.qos.logback.core.ConsoleAppender<>();
		console.setName("CONSOLE");
		root.addAppender(console);
		ch.qos.logback.classic.sift.SiftingAppender sifting = new ch.qos.logback.classic.sift.SiftingAppender();
		sifting.setName("SIFT");
		root.addAppender(sifting);
		ch.qos.logback.core.helpers.NOPAppender<ILoggingEvent> nothing = new ch.qos.logback.core.helpers.NOPAppender<>();
		nothing.setName("NOTHING");
		root.addAppender(nothing);
		assertThat(LogbackMasking.fluentEventsLimit(OldTurboFilter.class, this.context)).isNull();
		// an appender that writes no bytes, held by an AsyncAppender: named
		ch.qos.logback.classic.AsyncAppender async = new ch.qos.logback.classic.AsyncAppender();
		async.setName("ASYNC");
		async.addAppender(this.events);
		this.context.getLogger("events").addAppender(async);
		assertThat(LogbackMasking.fluentEventsLimit(OldTurboFilter.class, this.context)).contains("EVENTS (ListAppender)")
			.doesNotContain("CONSOLE")
			.doesNotContain("SIFT")
			.doesNotContain("NOTHING")
			.doesNotContain("ASYNC");
	}

	@Test
	void logWhenSecretInMdcPassesItInClear() {
		MDC.put("token", SECRET);
		this.logger.info("an event with a token in the MDC");
		assertThat(this.events.list.get(0).getMDCPropertyMap()).containsEntry("token", SECRET);
	}

	@Test
	void logWhenFilterAcceptsBelowLevelPassesMessageInClear() {
		MDCFilter debugForOneUser = new MDCFilter();
		debugForOneUser.setMDCKey("user");
		debugForOneUser.setValue("debug-me");
		debugForOneUser.setOnMatch(FilterReply.ACCEPT.name());
		debugForOneUser.setContext(this.context);
		debugForOneUser.start();
		this.context.addTurboFilter(debugForOneUser);
		MDC.put("user", "debug-me");
		this.logger.debug("ordinary-debug {}", SECRET);
		assertThat(this.events.list.get(0).getFormattedMessage()).isEqualTo("ordinary-debug " + SECRET);
	}

}
