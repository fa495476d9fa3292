package dev.mountedsecrets.sample.web;

import java.util.Map;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Counts a visit of the token's tenant ({@link VisitCounter}).
 */
@RestController
class VisitsController {

	private final VisitCounter visits;

	VisitsController(VisitCounter visits) {
		this.visits = visits;
	}

	@PostMapping("/api/visits")
	Map<String, Long> visit(@AuthenticationPrincipal Jwt token) {
		return Map.of("visits", this.visits.count(NotesController.tenant(token)));
	}

}
