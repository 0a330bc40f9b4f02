// The LOfavør Android app: a thin Compose shell over the Rust core (module :lofavor-core).

import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

// The member API each build type talks to (gradle.properties, or -P on the command line).
// Debug builds default to the reference server on loopback; release builds must use https:
// the core would refuse plain http to anything but loopback anyway, and a release that
// points at a development machine is a mistake to stop at build time, not on a phone.
// The reference server is also a development OpenID issuer, at `<api>/oidc`.
val debugApiBaseUrl: String = providers.gradleProperty("lofavor.apiBaseUrl").get()
val releaseApiBaseUrl: String = providers.gradleProperty("lofavor.releaseApiBaseUrl").get()
val releaseOidcIssuer: String = providers.gradleProperty("lofavor.releaseOidcIssuer")
    .getOrElse("${releaseApiBaseUrl.trimEnd('/')}/oidc")
val debugOidcIssuer: String = providers.gradleProperty("lofavor.oidcIssuer")
    .getOrElse("${debugApiBaseUrl.trimEnd('/')}/oidc")
for ((name, url) in listOf("lofavor.releaseApiBaseUrl" to releaseApiBaseUrl, "lofavor.releaseOidcIssuer" to releaseOidcIssuer)) {
    require(url.startsWith("https://")) { "$name must be an https URL in release builds, got a non-https one" }
}

// CI has no release key: with -Plofavor.signReleaseWithDebugKey=true the release APK is
// signed with the debug key so that it can be installed on a test device. Store builds
// are signed by the release pipeline and never set this.
val signReleaseWithDebugKey: Boolean = providers.gradleProperty("lofavor.signReleaseWithDebugKey")
    .map { it.toBoolean() }.getOrElse(false)

android {
    namespace = "no.lofavor.app"
    compileSdk = 36

    defaultConfig {
        applicationId = "no.lofavor.app"
        minSdk = 26
        targetSdk = 36
        versionCode = 1
        versionName = "0.1.0"

        // The ABIs the Rust core is built for (lofavor-core's cargoNdkBuild). JNA's AAR also
        // carries 32-bit x86, where the core would be missing: it is left out of the APK.
        ndk {
            abiFilters += listOf("arm64-v8a", "armeabi-v7a", "x86_64")
        }
    }

    buildTypes {
        debug {
            buildConfigField("String", "API_BASE_URL", "\"$debugApiBaseUrl\"")
            buildConfigField("String", "OIDC_ISSUER", "\"$debugOidcIssuer\"")
        }
        release {
            buildConfigField("String", "API_BASE_URL", "\"$releaseApiBaseUrl\"")
            buildConfigField("String", "OIDC_ISSUER", "\"$releaseOidcIssuer\"")
            // R8: code shrinking and optimisation, then unused resources removed.
            isMinifyEnabled = true
            isShrinkResources = true
            // The core module adds the rules JNA and the bindings need (consumer rules).
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
            if (signReleaseWithDebugKey) signingConfig = signingConfigs.getByName("debug")
        }
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    lint {
        // Lint runs in CI on every change: an error stops the build, and the release
        // variant is checked too (it is the one that ships).
        abortOnError = true
        checkReleaseBuilds = true
    }
}

kotlin {
    compilerOptions {
        jvmTarget.set(JvmTarget.JVM_17)
    }
}

dependencies {
    implementation(project(":lofavor-core"))

    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.activity.compose)
    implementation(libs.androidx.browser)
    implementation(libs.androidx.core)
    implementation(libs.lifecycle.runtime.compose)
    implementation(libs.lifecycle.viewmodel.compose)
    implementation(libs.lifecycle.viewmodel.savedstate)
    implementation(libs.camera.camera2)
    implementation(libs.camera.lifecycle)
    implementation(libs.camera.view)
}
