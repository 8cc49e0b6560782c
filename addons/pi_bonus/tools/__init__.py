from . import bonus_amount, bonus_write
