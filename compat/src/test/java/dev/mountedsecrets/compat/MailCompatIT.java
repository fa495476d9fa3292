package dev.mountedsecrets.compat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import dev.mountedsecrets.SecretFiles;
import dev.mountedsecrets.reload.SecretsReloader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mail.MailAuthenticationException;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Boot's JavaMailSender on a real SMTP server (GreenMail) that authenticates the user: the
 * password from {@code email_password} sends, a wrong one is refused, and a rotated file is
 * used for the next message without a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class MailCompatIT {

	@TempDir
	Path secrets;

	@Test
	void sendWhenPasswordRightDelivers(CapturedOutput output) throws Exception {
		GreenMail smtp = Servers.smtp();
		int before = smtp.getReceivedMessages().length;
		SecretFiles.write(this.secrets, "email_password", Servers.MAIL_PASSWORD);
		try (ConfigurableApplicationContext context = run(smtp)) {
			context.getBean(JavaMailSender.class).send(message("delivered"));
		}
		assertThat(smtp.getReceivedMessages()).hasSize(before + 1);
		assertThat(smtp.getReceivedMessages()[before].getSubject()).isEqualTo("delivered");
		assertThat(output.getAll()).doesNotContain(Servers.MAIL_PASSWORD);
	}

	@Test
	void sendWhenPasswordWrongIsRefused(CapturedOutput output) throws Exception {
		String wrong = "Compat-Wrong-Mail-4a0e7d";
		SecretFiles.write(this.secrets, "email_password", wrong);
		try (ConfigurableApplicationContext context = run(Servers.smtp())) {
			assertThatExceptionOfType(MailAuthenticationException.class)
				.isThrownBy(() -> context.getBean(JavaMailSender.class).send(message("refused")));
		}
		assertThat(output.getAll()).doesNotContain(wrong).doesNotContain(Servers.MAIL_PASSWORD);
	}

	@Test
	void sendWhenPasswordRotatedUsesNewPasswordWithoutRestart(CapturedOutput output) {
		String wrong = "Compat-Old-Mail-e05b3c";
		GreenMail smtp = Servers.smtp();
		SecretFiles.write(this.secrets, "email_password", wrong);
		try (ConfigurableApplicationContext context = run(smtp, "--secrets.reload.enabled=true",
				"--secrets.reload.quiet-period=200ms", "--secrets.reload.poll-interval=100ms")) {
			JavaMailSender sender = context.getBean(JavaMailSender.class);
			assertThatExceptionOfType(MailAuthenticationException.class).isThrownBy(() -> sender.send(message("old")));
			SecretFiles.write(this.secrets, "email_password", Servers.MAIL_PASSWORD);
			SecretsReloader reloader = context.getBean(SecretsReloader.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> reloader.rotations() == 1);
			int before = smtp.getReceivedMessages().length;
			sender.send(message("rotated"));
			assertThat(smtp.getReceivedMessages()).hasSize(before + 1);
		}
		assertThat(output.getAll()).doesNotContain(wrong).doesNotContain(Servers.MAIL_PASSWORD);
	}

	private static SimpleMailMessage message(String subject) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom("app@example.test");
		message.setTo("ops@example.test");
		message.setSubject(subject);
		message.setText("sent with the password from a file");
		return message;
	}

	private ConfigurableApplicationContext run(GreenMail smtp, String... extra) {
		List<String> args = new ArrayList<>(List.of(CompatApps.EXCLUDE_DATABASE_AND_REDIS, "--spring.mail.host=127.0.0.1",
				"--spring.mail.port=" + smtp.getSmtp().getPort(), "--spring.mail.username=" + Servers.MAIL_USER,
				"--spring.mail.properties.mail.smtp.auth=true"));
		args.addAll(List.of(extra));
		return CompatApps.run(this.secrets, args.toArray(String[]::new));
	}

}
