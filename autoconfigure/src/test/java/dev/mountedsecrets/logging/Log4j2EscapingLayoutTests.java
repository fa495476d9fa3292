package dev.mountedsecrets.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log4j2's {@code %enc} converter escapes what it writes for HTML, XML or JSON: a secret with
 * such characters is masked whole, not left in clear between its escaped characters. Run in a
 * class path with Log4j2 and no Logback.
 */
@Tag("log4j2")
class Log4j2EscapingLayoutTests {

	private static final String SECRET = EscapedSecret.SECRET;

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	@TempDir
	Path logs;

	@BeforeEach
	void serve() {
		this.served.record(List.of(SECRET));
		MaskingRegistries.add(this.served, this.holder);
	}

	@AfterEach
	void forget() {
		MaskingRegistries.forget(this.served, this.holder);
	}

	@Test
	void logWhenPatternEncodesTheSecretForHtmlXmlOrJsonMasksItWhole() throws IOException {
		Path configuration = this.logs.resolve("log4j2-enc.xml");
		Files.writeString(configuration, """
				<Configuration>
				  <Appenders>
				    <File name="File" fileName="%s/enc.log">
				      <PatternLayout pattern="%%m html=%%enc{%%X{token}}{HTML} xml=%%enc{%%X{token}}{XML} json=%%enc{%%X{token}}{JSON}%%n"/>
				    </File>
				  </Appenders>
				  <Loggers>
				    <Root level="info">
				      <AppenderRef ref="File"/>
				    </Root>
				  </Loggers>
				</Configuration>
				""".formatted(this.logs));
		Log4j2Support.logPerTenant(configuration, SECRET, List.of("alpha"));
		String written = Files.readString(this.logs.resolve("enc.log"), StandardCharsets.UTF_8);
		assertThat(written).contains("ordinary-alpha html=****** xml=****** json=******");
		EscapedSecret.assertNotShownIn(written);
	}

}
