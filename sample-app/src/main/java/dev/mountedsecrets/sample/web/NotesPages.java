package dev.mountedsecrets.sample.web;

import dev.mountedsecrets.sample.notes.NoteRepository;

import org.springframework.mail.MailException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.user.OAuth2User;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Pages that use the tenant's data: notes (stored encrypted with {@code crypto_key}, under
 * row-level security), the visit counter (Redis) and a test mail (SMTP). Forms post back and
 * redirect, so that a reload does not post twice.
 */
@Controller
class NotesPages {

	static final int MAX_NOTE_LENGTH = 2000;

	private final NoteRepository notes;

	private final VisitCounter visits;

	private final NoteCountMail mail;

	NotesPages(NoteRepository notes, VisitCounter visits, NoteCountMail mail) {
		this.notes = notes;
		this.visits = visits;
		this.mail = mail;
	}

	@GetMapping("/notes")
	String notes(@AuthenticationPrincipal OAuth2User user, Model model) {
		model.addAttribute("notes", this.notes.findAll(TokenController.tenantOf(user)));
		model.addAttribute("maxLength", MAX_NOTE_LENGTH);
		return "notes";
	}

	@PostMapping("/notes")
	String add(@AuthenticationPrincipal OAuth2User user, @RequestParam(defaultValue = "") String body,
			RedirectAttributes redirect) {
		String text = body.strip();
		if (text.isEmpty() || text.length() > MAX_NOTE_LENGTH) {
			redirect.addFlashAttribute("problem",
					"A note needs between 1 and " + MAX_NOTE_LENGTH + " characters; nothing was saved.");
			return "redirect:/notes";
		}
		this.notes.add(TokenController.tenantOf(user), text);
		redirect.addFlashAttribute("done", "Note saved (encrypted in the database).");
		return "redirect:/notes";
	}

	@GetMapping("/visits")
	String visits(@AuthenticationPrincipal OAuth2User user, Model model) {
		model.addAttribute("visits", this.visits.current(TokenController.tenantOf(user)));
		return "visits";
	}

	@PostMapping("/visits")
	String visit(@AuthenticationPrincipal OAuth2User user) {
		this.visits.count(TokenController.tenantOf(user));
		return "redirect:/visits";
	}

	@GetMapping("/mail")
	String mail(@AuthenticationPrincipal OAuth2User user, Model model) {
		if (!model.containsAttribute("to")) {
			String email = user.getAttribute("email");
			model.addAttribute("to", (email != null) ? email : user.getName());
		}
		return "mail";
	}

	@PostMapping("/mail")
	String send(@AuthenticationPrincipal OAuth2User user, @RequestParam(defaultValue = "") String to,
			RedirectAttributes redirect) {
		String recipient = to.strip();
		redirect.addFlashAttribute("to", recipient);
		if (!recipient.matches("[^@\\s]+@[^@\\s]+")) {
			redirect.addFlashAttribute("problem", "Enter one e-mail address, such as name@example.com.");
			return "redirect:/mail";
		}
		try {
			this.mail.send(TokenController.tenantOf(user), recipient);
			redirect.addFlashAttribute("done", "Sent to " + recipient + " through the SMTP server.");
		}
		catch (MailException ex) {
			redirect.addFlashAttribute("problem", "The SMTP server did not take the mail (" + ex.getClass().getSimpleName()
					+ "). The wiring dashboard shows whether the mail login works.");
		}
		return "redirect:/mail";
	}

}
