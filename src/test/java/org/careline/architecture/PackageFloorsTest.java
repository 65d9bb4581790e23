package org.careline.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The floors of Careline, read from the compiled classes: {@code model} (plain records and enums) imports nothing
 * else of Careline; {@code store} and the mapping loaders in {@code config} stand on {@code model} alone; every
 * other package may use those floors but no two packages import each other, directly or round a longer circle.
 * An arrow up a floor, or a circle, usually means a noun lives in the wrong package: move it down to model.
 */
class PackageFloorsTest {

    private static JavaClasses careline;

    @BeforeAll
    static void importClasses() {
        careline = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.careline");
    }

    @Test
    void modelImportsNothingElseOfCareline() {
        floor("org.careline.model..").check(careline);
    }

    @Test
    void storeStandsOnModelAlone() {
        floor("org.careline.store..").check(careline);
    }

    @Test
    void mappingLoadersAndSettingsStandOnModelAlone() {
        floor("org.careline.config..").check(careline);
    }

    @Test
    void noTwoPackagesImportEachOther() {
        slices().matching("org.careline.(**)").should().beFreeOfCycles().check(careline);
    }

    /** Classes in {@code pkg} may use themselves and model, nothing else of Careline. */
    private static ArchRule floor(String pkg) {
        return noClasses().that().resideInAPackage(pkg)
                .should().dependOnClassesThat(resideInAPackage("org.careline..")
                        .and(resideOutsideOfPackages(pkg, "org.careline.model..")))
                .because("a lower floor never imports a higher one");
    }
}
