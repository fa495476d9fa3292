package dev.mountedsecrets.logging;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Layouts and encoders that escape characters of what they write (HTML, JSON with
 * {@code \/}): a secret with such characters is masked whole, not left in clear between its
 * escaped characters.
 */
class LogbackEscapingLayoutTests {

	private static final String SECRET = EscapedSecret.SECRET;

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	private final LoggerContext context = new LoggerContext();

	@BeforeEach
	void serve() {
		this.served.record(List.of(SECRET));
		LogbackMasking.install(this.served, this.holder);
		this.context.setName("escaping");
		this.context.setMDCAdapter(MDC.getMDCAdapter());
	}

	@AfterEach
	void forget() {
		LogbackMasking.forget(this.served, this.holder);
		this.context.stop();
	}

	@ParameterizedTest
	@ValueSource(strings = { """
			<encoder class="ch.qos.logback.core.encoder.LayoutWrappingEncoder">
			  <layout class="ch.qos.logback.classic.html.HTMLLayout"><pattern>%msg%mdc</pattern></layout>
			</encoder>
			""", """
			<encoder class="ch.qos.logback.classic.encoder.JsonEncoder"/>
			""" })
	void logWhenLayoutEscapesCharactersOfTheSecretMasksItWhole(String encoder) throws Exception {
		Path file = Files.createTempFile("escaping-", ".log");
		try {
			configure(file, encoder);
			MDC.put("token", SECRET);
			this.context.getLogger("escaping.app").info("ordinary-line token {}", SECRET);
			MDC.clear();
			this.context.stop();
			String written = Files.readString(file, StandardCharsets.UTF_8);
			assertThat(written).contains("ordinary-line token ******");
			EscapedSecret.assertNotShownIn(written);
		}
		finally {
			Files.deleteIfExists(file);
		}
	}

	private void configure(Path file, String encoder) throws Exception {
		String configuration = """
				<configuration>
				  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
				    <file>%s</file>
				    %s
				  </appender>
				  <root level="INFO"><appender-ref ref="FILE"/></root>
				</configuration>
				""".formatted(file, encoder);
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(this.context);
		configurator.doConfigure(new ByteArrayInputStream(configuration.getBytes(StandardCharsets.UTF_8)));
		LogbackOutputMasking.installOn(this.context);
	}

}
