/** The tables of the training feature (issue 4), as Kysely sees them; conventions in schema.ts. */
export interface TrainingTables {
  training_courses: TrainingCourseTable;
  training_attendance: TrainingAttendanceTable;
}

/** One course or lecture (P3.3). Hours are stored in tenths, so 1.5 h is 15. */
export interface TrainingCourseTable {
  id: string;
  title: string;
  kind:
    | 'illness_knowledge'
    | 'communication'
    | 'policy'
    | 'medical_expert_lecture'
    | 'psychologist_lecture'
    | 'external'
    | 'risk_compliance';
  held_on: string;
  hours_tenths: number;
  provider: string | null;
  branch_id: string;
  created_by: string;
  created_at: string;
}

/** One staff member's attendance of a course. */
export interface TrainingAttendanceTable {
  course_id: string;
  staff_id: string;
  recorded_by: string;
  recorded_at: string;
}
