package dev.mountedsecrets.compat;

import java.nio.file.Path;

import dev.mountedsecrets.InvalidSecretsException;
import dev.mountedsecrets.SecretFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A secret that cannot be used stops start-up with Boot's failure report: the file, the
 * property and the fix, never the value and no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class ValidationCompatIT {

	@TempDir
	Path secrets;

	@Test
	void startWhenSecretIsPlaceholderFailsNamingFileAndProperty(CapturedOutput output) {
		String placeholder = "xxxxxxxxxxxxxxxxxxxx";
		SecretFiles.write(this.secrets, "db_password_server", placeholder);
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> CompatApps.run(this.secrets, CompatApps.EXCLUDE_DATABASE_AND_REDIS));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains(this.secrets.resolve("db_password_server").toString())
			.contains("spring.datasource.password")
			.doesNotContain(placeholder)
			.doesNotContain("Application run failed");
	}

	@Test
	void startWhenKeyTooShortFailsNamingMinimumLength(CapturedOutput output) {
		String shortKey = "Short-Key-4e1d";
		SecretFiles.write(this.secrets, "crypto_key", shortKey);
		assertThatExceptionOfType(InvalidSecretsException.class)
			.isThrownBy(() -> CompatApps.run(this.secrets, CompatApps.EXCLUDE_DATABASE_AND_REDIS));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START")
			.contains(this.secrets.resolve("crypto_key").toString())
			.contains("32")
			.doesNotContain(shortKey);
	}

}
