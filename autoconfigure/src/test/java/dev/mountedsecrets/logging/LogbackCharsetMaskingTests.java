package dev.mountedsecrets.logging;

import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.mountedsecrets.LeakForms;
import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.Logger;
import org.slf4j.MDC;

import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log written in a charset other than UTF-8 is masked as that charset writes it: Boot's
 * structured encoder in {@code logging.charset.*} (set through a setter only), and a pattern
 * in a charset that cannot encode the secret, which writes {@code ?} for what it cannot.
 */
class LogbackCharsetMaskingTests {

	private static final String LATIN = "Gr\u00fc\u00dfe-K\u00e4se-\u00d6l-9876";

	private static final String UNICODE = "p\u00e4ssw\u00f6rd\u20ac\u00dcn\u00efcode-42";

	private static final String ASCII = "Charset-Log-Secret-3c9d";

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	private final LoggerContext context = new LoggerContext();

	@TempDir
	Path logs;

	@BeforeEach
	void serve() {
		this.served.record(List.of(LATIN, UNICODE, ASCII));
		LogbackMasking.install(this.served, this.holder);
		this.context.setName("charsets");
		this.context.setMDCAdapter(MDC.getMDCAdapter());
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("charsets", Map.of("spring.application.name", "charsets")));
		this.context.putObject(Environment.class.getName(), environment);
	}

	@AfterEach
	void forget() {
		LogbackMasking.forget(this.served, this.holder);
		this.context.stop();
		MDC.clear();
	}

	@ParameterizedTest(name = "{0} in {1}")
	@CsvSource({ "ecs, ISO-8859-1", "ecs, UTF-16", "logstash, UTF-16LE", "pattern, US-ASCII", "pattern, ISO-8859-1",
			"pattern, UTF-16" })
	void logWhenWrittenInAnotherCharsetMasksEverySecretAsWritten(String format, String charsetName) throws Exception {
		Charset charset = Charset.forName(charsetName);
		Path file = this.logs.resolve("app.log");
		String encoder = format.equals("pattern") ? """
				<encoder>
				  <pattern>%%d mdc=%%X{k} %%kvp - %%m%%n</pattern>
				  <charset>%s</charset>
				</encoder>
				""".formatted(charsetName) : """
				<encoder class="org.springframework.boot.logging.logback.StructuredLogEncoder">
				  <format>%s</format>
				  <charset>%s</charset>
				</encoder>
				""".formatted(format, charsetName);
		String configuration = """
				<configuration>
				  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
				    <file>%s</file>
				    %s
				  </appender>
				  <root level="INFO">
				    <appender-ref ref="FILE"/>
				  </root>
				</configuration>
				""".formatted(file, encoder);
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(this.context);
		configurator.doConfigure(new ByteArrayInputStream(configuration.getBytes(StandardCharsets.UTF_8)));
		LogbackOutputMasking.installOn(this.context);
		Logger logger = this.context.getLogger("charsets.app");
		MDC.put("k", LATIN);
		logger.atInfo().addKeyValue("kv", UNICODE).log("ordinary-text " + ASCII);
		MDC.clear();
		this.context.stop();
		String written = Files.readString(file, charset);
		assertThat(written).contains("ordinary-text ******").contains("******");
		LeakForms.assertNoLeak(format + " in " + charset, written, List.of(LATIN, UNICODE, ASCII));
		for (String secret : List.of(LATIN, UNICODE, ASCII)) {
			assertThat(written).doesNotContain(new String(secret.getBytes(charset), charset));
		}
	}

}
