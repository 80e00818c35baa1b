package io.tracewire.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** tracer-core's own layering: the JDK only, and the engine reachable from the core alone. */
class CoreLayeringTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.tracewire.core");

  @Test
  void coreDependsOnNothingButTheJdk() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.tracewire.core..")
        .because("tracer-core has zero dependencies: everything above it may depend on it, never the reverse")
        .check(CORE);
  }

  @Test
  void apiPackagesNeverDependOnOneAnotherInACycleThroughModels() {
    // the data types at the bottom of the API (events, messages) know nothing of what produces them
    noClasses().that().resideInAnyPackage("io.tracewire.core.message..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.core.runnable..", "io.tracewire.core.model..",
            "io.tracewire.core.sink..", "io.tracewire.core.prompt..", "io.tracewire.core.parser..", "io.tracewire.core.tool..",
            "io.tracewire.core.retriever..", "io.tracewire.core.fake..")
        .check(CORE);
    noClasses().that().resideInAnyPackage("io.tracewire.core.event..")
        .should().dependOnClassesThat().resideInAnyPackage("io.tracewire.core.model..", "io.tracewire.core.prompt..",
            "io.tracewire.core.parser..", "io.tracewire.core.tool..", "io.tracewire.core.retriever..", "io.tracewire.core.fake..")
        .check(CORE);
  }
}
