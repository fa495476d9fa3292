package dev.mountedsecrets.sample.web;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Mails the token's tenant's note count ({@link NoteCountMail}).
 */
@RestController
class MailController {

	private final NoteCountMail mail;

	MailController(NoteCountMail mail) {
		this.mail = mail;
	}

	@PostMapping("/api/mail")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void send(@AuthenticationPrincipal Jwt token, @RequestBody Recipient recipient) {
		this.mail.send(NotesController.tenant(token), recipient.to());
	}

	record Recipient(String to) {

	}

}
