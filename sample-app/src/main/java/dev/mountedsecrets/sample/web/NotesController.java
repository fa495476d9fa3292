package dev.mountedsecrets.sample.web;

import java.util.List;
import java.util.Map;

import dev.mountedsecrets.sample.notes.NoteRepository;
import dev.mountedsecrets.sample.notes.NoteRepository.Note;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The tenant's notes; the tenant comes from the signed token, never from the request.
 */
@RestController
class NotesController {

	private final NoteRepository notes;

	NotesController(NoteRepository notes) {
		this.notes = notes;
	}

	@GetMapping("/api/notes")
	List<Note> list(@AuthenticationPrincipal Jwt token) {
		return this.notes.findAll(tenant(token));
	}

	@PostMapping("/api/notes")
	@ResponseStatus(HttpStatus.CREATED)
	Map<String, Long> add(@AuthenticationPrincipal Jwt token, @RequestBody NewNote note) {
		return Map.of("id", this.notes.add(tenant(token), note.body()));
	}

	static String tenant(Jwt token) {
		return token.getClaimAsString("tenant");
	}

	record NewNote(String body) {

	}

}
