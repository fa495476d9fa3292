package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.mountedsecrets.autoconfigure.MountedSecretsAutoConfiguration;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.mail.autoconfigure.MailSenderAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Boot's JavaMailSender against a real SMTP server (GreenMail) that authenticates the user
 * with the password from {@code email_password}.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailIT {

	private static final String MAIL_PASSWORD = "Mail-Pw-3e81f0c6d2";

	private static final String WRONG_PASSWORD = "Mail-Wrong-6c29a1f4";

	@RegisterExtension
	static GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
		.withConfiguration(GreenMailConfiguration.aConfig().withUser("app@example.test", "app", MAIL_PASSWORD));

	@TempDir
	Path secrets;

	@Test
	void sendWhenPasswordRightServerReceivesMessage(CapturedOutput output) throws Exception {
		SecretFiles.write(this.secrets, "email_password", MAIL_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			context.getBean(JavaMailSender.class).send(message());
		}
		MimeMessage[] received = smtp.getReceivedMessages();
		assertThat(received).hasSize(1);
		assertThat(received[0].getSubject()).isEqualTo("Wired from a file");
		assertThat(output.getAll()).contains(" TRACE ").doesNotContain(MAIL_PASSWORD).doesNotContain(base64(MAIL_PASSWORD));
	}

	@Test
	void sendWhenPasswordWrongIsRejected(CapturedOutput output) {
		SecretFiles.write(this.secrets, "email_password", WRONG_PASSWORD);
		try (ConfigurableApplicationContext context = run()) {
			assertThatExceptionOfType(MailAuthenticationException.class)
				.isThrownBy(() -> context.getBean(JavaMailSender.class).send(message()))
				.satisfies((ex) -> assertThat(ex.toString()).doesNotContain(WRONG_PASSWORD));
		}
		assertThat(smtp.getReceivedMessages()).isEmpty();
		assertThat(output.getAll()).doesNotContain(WRONG_PASSWORD)
			.doesNotContain(base64(WRONG_PASSWORD))
			.doesNotContain(MAIL_PASSWORD);
	}

	private static String base64(String text) {
		return java.util.Base64.getEncoder().encodeToString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static SimpleMailMessage message() {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("app@example.test");
		message.setTo("ops@example.test");
		message.setSubject("Wired from a file");
		message.setText("The password came from email_password.");
		return message;
	}

	private ConfigurableApplicationContext run() {
		return TestApplications.application(MailApplication.class, WebApplicationType.NONE, Map.of())
			.run("--secrets.dir=" + this.secrets, "--spring.mail.host=127.0.0.1",
					"--spring.mail.port=" + smtp.getSmtp().getPort(), "--spring.mail.username=app",
					"--spring.mail.properties.mail.smtp.auth=true", "--logging.level.root=TRACE",
					// GreenMail is the server: in this JVM only for the test, it logs what it receives.
					"--logging.level.com.icegreen.greenmail=INFO");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MailSenderAutoConfiguration.class, MountedSecretsAutoConfiguration.class })
	static class MailApplication {

	}

}
