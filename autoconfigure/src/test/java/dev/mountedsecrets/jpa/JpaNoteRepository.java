package dev.mountedsecrets.jpa;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * Spring Data repository of the typical application.
 */
public interface JpaNoteRepository extends JpaRepository<JpaNote, Long> {

	List<JpaNote> findByBody(String body);

}
