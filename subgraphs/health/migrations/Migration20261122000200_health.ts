import { Migration } from '@mikro-orm/migrations';


/**
 * The ICB's children's health data, pseudonymised: children appear only by the
 * partnership link key, never by NHS number, name, date of birth or postcode.
 */
export class Migration20261122000200_health extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      CREATE TABLE health_service (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        code varchar(32) NOT NULL,
        name varchar(255) NOT NULL,
        provider varchar(255) NOT NULL,
        pathway varchar(32) NOT NULL,
        CONSTRAINT health_service_code_unique UNIQUE (code)
      );

      CREATE TABLE referral (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        source_id varchar(64) NOT NULL,
        link_key varchar(255) NOT NULL,
        service_id uuid NOT NULL CONSTRAINT referral_service_id_foreign REFERENCES health_service (id) ON UPDATE CASCADE,
        pathway varchar(32) NOT NULL,
        urgency varchar(8) NOT NULL,
        received_date date NOT NULL,
        first_contact_date date NULL,
        second_contact_date date NULL,
        discharge_date date NULL,
        discharge_reason varchar(200) NULL,
        CONSTRAINT referral_source_id_unique UNIQUE (source_id),
        CONSTRAINT referral_first_contact_date_check CHECK (first_contact_date >= received_date),
        CONSTRAINT referral_second_contact_date_check CHECK (second_contact_date >= first_contact_date),
        CONSTRAINT referral_discharge_date_check CHECK (discharge_date >= received_date)
      );
      CREATE INDEX referral_link_key_index ON referral (link_key);
      CREATE INDEX referral_service_id_index ON referral (service_id);
      CREATE INDEX referral_first_contact_date_index ON referral (first_contact_date);
      CREATE INDEX referral_second_contact_date_index ON referral (second_contact_date);
      CREATE INDEX referral_wait_index ON referral USING gist ((daterange(received_date, LEAST(first_contact_date, discharge_date), '[)')));

      CREATE TABLE health_advice_request (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        assessment_id varchar(64) NOT NULL,
        link_key varchar(255) NOT NULL,
        asked_date date NOT NULL,
        returned_date date NULL,
        CONSTRAINT health_advice_request_assessment_id_unique UNIQUE (assessment_id)
      );
      CREATE INDEX health_advice_request_link_key_index ON health_advice_request (link_key);
      CREATE INDEX health_advice_request_returned_date_index ON health_advice_request (returned_date);

      CREATE TABLE space_cohort (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        name varchar(255) NOT NULL,
        service_id uuid NOT NULL CONSTRAINT space_cohort_service_id_foreign REFERENCES health_service (id) ON UPDATE CASCADE,
        delivery varchar(16) NOT NULL,
        start_date date NOT NULL,
        planned_sessions int NOT NULL,
        CONSTRAINT space_cohort_planned_sessions_check CHECK (planned_sessions >= 1 AND planned_sessions <= 52)
      );
      CREATE INDEX space_cohort_service_id_index ON space_cohort (service_id);

      CREATE TABLE space_enrolment (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        cohort_id uuid NOT NULL CONSTRAINT space_enrolment_cohort_id_foreign REFERENCES space_cohort (id) ON UPDATE CASCADE,
        link_key varchar(255) NOT NULL,
        fasa_before smallint NULL,
        fasa_after smallint NULL,
        CONSTRAINT space_enrolment_cohort_id_link_key_unique UNIQUE (cohort_id, link_key),
        CONSTRAINT space_enrolment_fasa_before_check CHECK (fasa_before >= 0 AND fasa_before <= 36),
        CONSTRAINT space_enrolment_fasa_after_check CHECK (fasa_after >= 0 AND fasa_after <= 36)
      );
      CREATE INDEX space_enrolment_cohort_id_index ON space_enrolment (cohort_id);
      CREATE INDEX space_enrolment_link_key_index ON space_enrolment (link_key);

      CREATE TABLE space_attendance (
        id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
        enrolment_id uuid NOT NULL CONSTRAINT space_attendance_enrolment_id_foreign REFERENCES space_enrolment (id) ON UPDATE CASCADE,
        session_number smallint NOT NULL,
        session_date date NOT NULL,
        attended boolean NOT NULL,
        CONSTRAINT space_attendance_enrolment_id_session_number_unique UNIQUE (enrolment_id, session_number),
        CONSTRAINT space_attendance_session_number_check CHECK (session_number >= 1)
      );
      CREATE INDEX space_attendance_enrolment_id_index ON space_attendance (enrolment_id);
    `);
    // Derived from referral (see measures/month-ends.ts): not entities, never exposed.
    this.addSql(MONTH_END_TABLES);
    // Reference data: the service catalogue referral files point at by service_code (services.ts then).
    this.addSql(`INSERT INTO health_service (code, name, provider, pathway) VALUES
      ('NN-CAMHS', 'North Nottinghamshire CAMHS', 'Nottinghamshire Healthcare NHS Foundation Trust', 'CAMHS'),
      ('SN-CAMHS', 'South Nottinghamshire CAMHS', 'Nottinghamshire Healthcare NHS Foundation Trust', 'CAMHS'),
      ('CAMHS-CRISIS', 'CAMHS Crisis, Liaison and Home Treatment', 'Nottinghamshire Healthcare NHS Foundation Trust', 'CAMHS'),
      ('SPACE', 'SPACE parent programme (North Nottinghamshire CAMHS)', 'Nottinghamshire Healthcare NHS Foundation Trust', 'SPACE'),
      ('ND-NORTH', 'Neurodevelopmental (autism and ADHD) assessment, north of the county', 'Sherwood Forest Hospitals NHS Foundation Trust', 'NEURODEVELOPMENTAL'),
      ('ND-SOUTH', 'Neurodevelopmental (autism and ADHD) assessment, south of the county', 'Nottingham University Hospitals NHS Trust', 'NEURODEVELOPMENTAL'),
      ('SALT', 'Children''s speech and language therapy', 'Nottinghamshire Healthcare NHS Foundation Trust', 'SALT'),
      ('OT', 'Children''s occupational therapy', 'Nottinghamshire Healthcare NHS Foundation Trust', 'OT'),
      ('PHYSIO', 'Children''s physiotherapy', 'Nottinghamshire Healthcare NHS Foundation Trust', 'PHYSIOTHERAPY'),
      ('PAEDS-NORTH', 'Community paediatrics, north of the county', 'Sherwood Forest Hospitals NHS Foundation Trust', 'COMMUNITY_PAEDIATRICS'),
      ('PAEDS-SOUTH', 'Community paediatrics, south of the county', 'Nottingham University Hospitals NHS Trust', 'COMMUNITY_PAEDIATRICS'),
      ('CYP-EDS', 'Children and young people''s eating disorders service', 'Nottinghamshire Healthcare NHS Foundation Trust', 'EATING_DISORDERS');`);
  }
}

/** Derived month-end tables (measures/month-ends.ts keeps them filled). */
const MONTH_END_TABLES = `
  CREATE TABLE health_month_end (
    month_end date NOT NULL PRIMARY KEY,
    camhs_children int NOT NULL
  );
  CREATE TABLE health_month_end_service (
    month_end date NOT NULL,
    service_id uuid NOT NULL,
    pathway varchar(32) NOT NULL,
    waiting int NOT NULL,
    waiting_over_13_weeks int NOT NULL,
    waiting_over_18_weeks int NOT NULL,
    camhs_children int NOT NULL,
    PRIMARY KEY (month_end, service_id, pathway)
  );`;
