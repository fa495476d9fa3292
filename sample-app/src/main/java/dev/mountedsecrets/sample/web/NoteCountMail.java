package dev.mountedsecrets.sample.web;

import dev.mountedsecrets.sample.notes.NoteRepository;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

/**
 * Mails a tenant's note count through SMTP, authenticated with {@code email_password}.
 */
@Component
class NoteCountMail {

	private final JavaMailSender mailSender;

	private final NoteRepository notes;

	private final String from;

	NoteCountMail(JavaMailSender mailSender, NoteRepository notes, @Value("${sample.mail-from}") String from) {
		this.mailSender = mailSender;
		this.notes = notes;
		this.from = from;
	}

	void send(String tenant, String to) {
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.from);
		message.setTo(to);
		message.setSubject("Notes of " + tenant);
		message.setText("Tenant " + tenant + " has " + this.notes.findAll(tenant).size() + " note(s).");
		this.mailSender.send(message);
	}

}
