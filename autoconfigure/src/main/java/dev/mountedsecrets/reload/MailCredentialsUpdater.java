package dev.mountedsecrets.reload;

import java.util.Objects;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/**
 * Hands rotated mail credentials to the {@link JavaMailSenderImpl}: the next send logs in
 * with them. The sender reads user name and password on each connect; only what changed is
 * set, so a rotated password never meets a half-set user name.
 */
public class MailCredentialsUpdater implements ApplicationListener<SecretsRotatedEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(MailCredentialsUpdater.class);

	private final JavaMailSenderImpl mailSender;

	private final Environment environment;

	public MailCredentialsUpdater(JavaMailSenderImpl mailSender, Environment environment) {
		this.mailSender = mailSender;
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(SecretsRotatedEvent event) {
		if (event.changed("spring.mail.")) {
			RotationHandOver.run("the mail sender", event, this::handOver, logger);
		}
	}

	private void handOver() {
		String username = this.environment.getProperty("spring.mail.username");
		if (!Objects.equals(username, this.mailSender.getUsername())) {
			this.mailSender.setUsername(username);
		}
		this.mailSender.setPassword(this.environment.getProperty("spring.mail.password"));
	}

	@Override
	public int getOrder() {
		return RotationHandOver.ORDER;
	}

}
