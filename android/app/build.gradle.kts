// The LOfavør Android app: a thin Compose shell over the Rust core (module :lofavor-core).

import org.jetbrains.kotlin.gradle.dsl.JvmTarget

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

// The member API this build talks to (gradle.properties, or -Plofavor.apiBaseUrl=...).
// The reference server is also a development OpenID issuer, at `<api>/oidc`.
val apiBaseUrl: String = providers.gradleProperty("lofavor.apiBaseUrl").get()
val oidcIssuer: String = providers.gradleProperty("lofavor.oidcIssuer").getOrElse("${apiBaseUrl.trimEnd('/')}/oidc")

android {
    namespace = "no.lofavor.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "no.lofavor.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"

        buildConfigField("String", "API_BASE_URL", "\"$apiBaseUrl\"")
        buildConfigField("String", "OIDC_ISSUER", "\"$oidcIssuer\"")
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            // The core module adds the rules JNA and the bindings need (consumer rules).
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"))
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
}
