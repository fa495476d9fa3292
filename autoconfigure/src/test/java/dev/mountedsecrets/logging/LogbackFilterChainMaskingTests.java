package dev.mountedsecrets.logging;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.mountedsecrets.LeakForms;
import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event the masking filter writes in place of one that shows a secret is still judged by
 * the application's other turbo filters, keeps where it was logged, and its exception, printed
 * from the exception object itself (Boot's structured formats cut it to a length), shows no
 * piece of a secret.
 */
class LogbackFilterChainMaskingTests {

	private static final String SECRET = "Chain-Log-Secret-8d1f4a27";

	private static final String LONG_SECRET = "u8jzPde0IgxLd6GncfBAepfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0RlgLKOmxgJTeKdNnFRIBXu";

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	private final LoggerContext context = new LoggerContext();

	@TempDir
	Path logs;

	@BeforeEach
	void serve() {
		this.served.record(List.of(SECRET, LONG_SECRET));
		LogbackMasking.install(this.served, this.holder);
		this.context.setName("chain");
		this.context.setMDCAdapter(MDC.getMDCAdapter());
	}

	@AfterEach
	void forget() {
		LogbackMasking.forget(this.served, this.holder);
		this.context.stop();
	}

	@Test
	void logWhenAnotherTurboFilterDeniesTheEventWritesNothing() throws Exception {
		Path file = configure("""
				<turboFilter class="ch.qos.logback.classic.turbo.MarkerFilter">
				  <Marker>CONFIDENTIAL</Marker>
				  <OnMatch>DENY</OnMatch>
				</turboFilter>
				<turboFilter class="ch.qos.logback.classic.turbo.DuplicateMessageFilter">
				  <AllowedRepetitions>0</AllowedRepetitions>
				</turboFilter>
				""", "<pattern>%C.%M - %m%n</pattern>");
		Logger logger = this.context.getLogger("chain.app");
		logger.info(MarkerFactory.getMarker("CONFIDENTIAL"), "card 4111-1111-1111-1111 for token {}", SECRET);
		for (int i = 0; i < 3; i++) {
			logger.info("repeated token {}", SECRET);
		}
		this.context.stop();
		String written = Files.readString(file);
		assertThat(written).doesNotContain("4111").doesNotContain("CONFIDENTIAL");
		assertThat(written.lines().filter((line) -> line.contains("repeated token ******"))).hasSize(1);
		assertThat(written).contains(getClass().getName() + ".logWhenAnotherTurboFilterDeniesTheEventWritesNothing - "
				+ "repeated token ******");
		LeakForms.assertNoLeak("denied and repeated", written, List.of(SECRET));
	}

	@Test
	void logWhenStructuredFormatPrintsTheExceptionCutToALengthShowsNoPieceOfTheSecret() throws Exception {
		Path file = configure("", "", """
				<encoder class="org.springframework.boot.logging.logback.StructuredLogEncoder">
				  <format>ecs</format>
				</encoder>
				""");
		Logger logger = this.context.getLogger("chain.app");
		logger.error("request failed", new IllegalStateException("boom " + LONG_SECRET,
				new IllegalArgumentException("cause " + SECRET)));
		this.context.stop();
		String written = Files.readString(file);
		assertThat(written).contains("request failed").contains("java.lang.IllegalStateException: boom ******");
		assertThat(written).doesNotContain(LONG_SECRET.substring(0, 12));
		LeakForms.assertNoLeak("cut stack trace", written, List.of(SECRET, LONG_SECRET));
	}

	private Path configure(String turboFilters, String pattern) throws JoranException {
		return configure(turboFilters, pattern, "<encoder>" + pattern + "</encoder>");
	}

	private Path configure(String turboFilters, String pattern, String encoder) throws JoranException {
		Path file = this.logs.resolve("app.log");
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("chain", Map.of("spring.application.name", "chain",
					"logging.structured.json.stacktrace.max-length", "60")));
		this.context.putObject(Environment.class.getName(), environment);
		String configuration = """
				<configuration>
				  %s
				  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
				    <file>%s</file>
				    %s
				  </appender>
				  <root level="INFO">
				    <appender-ref ref="FILE"/>
				  </root>
				</configuration>
				""".formatted(turboFilters, file, encoder);
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(this.context);
		configurator.doConfigure(new ByteArrayInputStream(configuration.getBytes(StandardCharsets.UTF_8)));
		LogbackOutputMasking.installOn(this.context);
		return file;
	}

}
