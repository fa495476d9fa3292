package dev.mountedsecrets.reload;

import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Hands rotated mail credentials to the {@link JavaMailSenderImpl}: the next send logs in
 * with them.
 */
public class MailCredentialsUpdater implements ApplicationListener<SecretsRotatedEvent> {

	private final JavaMailSenderImpl mailSender;

	private final Environment environment;

	public MailCredentialsUpdater(JavaMailSenderImpl mailSender, Environment environment) {
		this.mailSender = mailSender;
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(SecretsRotatedEvent event) {
		if (!event.changed("spring.mail.")) {
			return;
		}
		synchronized (this.mailSender) {
			this.mailSender.setUsername(this.environment.getProperty("spring.mail.username"));
			this.mailSender.setPassword(this.environment.getProperty("spring.mail.password"));
		}
	}

}
