package dev.mountedsecrets.sample.web;

import dev.mountedsecrets.sample.notes.NoteRepository;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.mail.SimpleMailMessage;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mails the tenant's note count through SMTP, authenticated with {@code email_password}.
 */
@RestController
class MailController {

	private final JavaMailSender mailSender;

	private final NoteRepository notes;

	private final String from;

	MailController(JavaMailSender mailSender, NoteRepository notes, @Value("${sample.mail-from}") String from) {
		this.mailSender = mailSender;
		this.notes = notes;
		this.from = from;
	}

	@PostMapping("/api/mail")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void send(@AuthenticationPrincipal Jwt token, @RequestBody Recipient recipient) {
		String tenant = NotesController.tenant(token);
		SimpleMailMessage message = new SimpleMailMessage();
		message.setFrom(this.from);
		message.setTo(recipient.to());
		message.setSubject("Notes of " + tenant);
		message.setText("Tenant " + tenant + " has " + this.notes.findAll(tenant).size() + " note(s).");
		this.mailSender.send(message);
	}

	record Recipient(String to) {

	}

}
